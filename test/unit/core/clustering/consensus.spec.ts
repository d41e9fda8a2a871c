// The consensus of several partitions (clustering/consensus.ts): it sees through each partition's
// own cluster ids, and a cluster that only some partitions split or merge is outvoted.
import { describe, expect, it } from 'vitest'
import { agreement, consensus } from '../../../../main/core/clustering/consensus'
import { clusteringAccuracy, confusion } from '../../../../main/core/metrics/clusters'
import { seededRandom } from '../../../../main/core/shared/random'

const k = 4
const perGroup = 50
const truth = Int32Array.from({ length: k * perGroup }, (_, i) => Math.floor(i / perGroup))

/** `truth` under a permutation of ids, with `merge` folding group a into group b. */
function partition(permutation: number[], merge: [number, number] | null, split: number | null) {
  return Int32Array.from(truth, (group, i) => {
    let g = merge && group === merge[0] ? merge[1] : group
    // a merge frees an id: the split puts half of group `split` there
    if (merge && split !== null && group === split && i % 2 === 0) g = merge[0]
    return permutation[g]
  })
}

describe('consensus of partitions', () => {
  it('recovers the groups that most partitions agree on, whatever their ids', async () => {
    const partitions = [
      partition([1, 0, 3, 2], [0, 1], 2), // merges groups 0 and 1, splits group 2
      partition([2, 3, 0, 1], [2, 3], 0), // merges groups 2 and 3, splits group 0
      partition([0, 1, 2, 3], null, null),
      partition([3, 2, 1, 0], null, null),
      partition([0, 2, 1, 3], null, null),
    ]
    for (const p of partitions.slice(0, 2))
      expect(clusteringAccuracy(confusion(p, truth))).toBeLessThan(0.8)
    const assignments = await consensus(partitions, k, 1)
    expect(clusteringAccuracy(confusion(assignments, truth))).toBe(1)
  })

  it('gives one partition back as it is, up to its ids', async () => {
    const random = seededRandom(2)
    const one = Int32Array.from(truth, () => Math.floor(random() * k))
    const assignments = await consensus([one], k, 1)
    expect(clusteringAccuracy(confusion(assignments, one))).toBe(1)
  })

  it('refuses partitions of different lengths', async () => {
    await expect(consensus([truth, truth.subarray(1)], k, 1)).rejects.toThrow('differ in length')
  })

  it('scores each row by how many partitions back its consensus cluster, whatever their ids', () => {
    // rows 0–4 in cluster 0, rows 5–9 in cluster 1
    const answer = Int32Array.from({ length: 10 }, (_, i) => (i < 5 ? 0 : 1))
    const same = Int32Array.from(answer, (c) => 1 - c) // the answer, ids swapped
    const moved = Int32Array.from(same) // …with row 4 put in the other cluster
    moved[4] = 0
    const certainty = agreement([same, moved], answer, 2)
    expect(Array.from(certainty)).toEqual([1, 1, 1, 1, 0.5, 1, 1, 1, 1, 1])
    // a partition's confidence in a row weighs its vote
    const confidence = Float32Array.from({ length: 10 }, (_, i) => (i === 0 ? 0.5 : 1))
    const weighed = agreement([same, moved], answer, 2, [confidence, null])
    expect(weighed[0]).toBeCloseTo(0.75)
    expect(weighed[1]).toBe(1)
  })
})
