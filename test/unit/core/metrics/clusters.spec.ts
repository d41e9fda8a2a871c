import { describe, expect, it } from 'vitest'
import {
  ari,
  clusteringAccuracy,
  clusterSizes,
  confusion,
  matchClusters,
  nmi,
} from '../../../../main/core/metrics/clusters'
import { silhouette } from '../../../../main/core/metrics/silhouette'
import { seededRandom } from '../../../../main/core/shared/random'

// /usr/bin/python3 -c "import numpy as np; from sklearn.metrics import *; \
//   t=[0,0,0,1,1,1,2,2,2,2,0,1]; p=[1,1,0,0,2,2,2,2,0,1,1,2]; \
//   print(normalized_mutual_info_score(t,p), adjusted_rand_score(t,p))"
// → 0.3272656703157479 0.13651877133105803 (scikit-learn 1.2.1); ACC by
// scipy.optimize.linear_sum_assignment on the negated contingency table → 0.5833333333333334
const labels = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 1])
const clusters = Int32Array.from([1, 1, 0, 0, 2, 2, 2, 2, 0, 1, 1, 2])

describe('label metrics', () => {
  it('match scikit-learn on a mixed-up clustering', () => {
    const table = confusion(clusters, labels)
    expect(clusteringAccuracy(table)).toBeCloseTo(0.5833333333333334, 12)
    expect(nmi(table)).toBeCloseTo(0.3272656703157479, 12)
    expect(ari(table)).toBeCloseTo(0.13651877133105803, 12)
  })

  it('builds the cluster × label table and the best matching', () => {
    const table = confusion(clusters, labels)
    expect(table).toMatchObject({ clusters: 3, classes: 3, total: 12 })
    // rows: clusters 0, 1, 2; columns: labels 0, 1, 2
    expect(Array.from(table.counts)).toEqual([1, 1, 1, 3, 0, 1, 0, 3, 2])
    expect(Array.from(matchClusters(table))).toEqual([2, 0, 1])
  })

  it('scores a relabelled perfect clustering 1, and leaves out unlabelled rows', () => {
    const perfect = confusion(
      Int32Array.from([2, 2, 0, 0, 1, 1, 5]),
      Int32Array.from([0, 0, 1, 1, 2, 2, -1]),
    )
    expect(perfect.total).toBe(6)
    expect(clusteringAccuracy(perfect)).toBe(1)
    expect(nmi(perfect)).toBeCloseTo(1, 12)
    expect(ari(perfect)).toBe(1)
  })

  it('follows scikit-learn on degenerate cases', () => {
    // adjusted_rand_score([0,0,1,1],[0,0,0,0]) = 0.0, normalized_mutual_info_score(…) = 0.0
    const one = confusion(Int32Array.from([0, 0, 0, 0]), Int32Array.from([0, 0, 1, 1]))
    expect(ari(one)).toBe(0)
    expect(nmi(one)).toBe(0)
    // one cluster against one class is a perfect match in both
    const single = confusion(Int32Array.from([3, 3]), Int32Array.from([1, 1]))
    expect(nmi(single)).toBe(1)
    expect(ari(single)).toBe(1)
  })

  it('matches more clusters than classes, leaving the extra ones unmatched', () => {
    const table = confusion(
      Int32Array.from([0, 0, 1, 1, 2, 3]),
      Int32Array.from([0, 0, 1, 1, 1, 0]),
    )
    expect(clusteringAccuracy(table)).toBeCloseTo(4 / 6, 12)
    expect(Array.from(matchClusters(table)).filter((l) => l < 0)).toHaveLength(2)
  })
})

// /usr/bin/python3 -c "import numpy as np; from sklearn.metrics import silhouette_score; \
//   x=np.array([[0,0],[0,1],[1,0],[5,5],[5,6],[6,5],[6,6],[0,6],[1,6],[9,0]],dtype=np.float32); \
//   print(silhouette_score(x,[0,0,0,1,1,1,1,2,2,0]), silhouette_score(x,[0,0,0,1,1,1,1,2,2,3]))"
// → 0.5504109 0.7085575
const points = Float32Array.from([0, 0, 0, 1, 1, 0, 5, 5, 5, 6, 6, 5, 6, 6, 0, 6, 1, 6, 9, 0])

describe('silhouette', () => {
  it('matches scikit-learn, with a singleton cluster scoring 0', () => {
    const all = silhouette(points, 2, Int32Array.from([0, 0, 0, 1, 1, 1, 1, 2, 2, 0]))
    expect(all).toMatchObject({ sample: 10, of: 10 })
    expect(all.score).toBeCloseTo(0.5504109, 6)
    const singleton = silhouette(points, 2, Int32Array.from([0, 0, 0, 1, 1, 1, 1, 2, 2, 3]))
    expect(singleton.score).toBeCloseTo(0.7085575, 6)
  })

  it('samples big inputs with a seed, and says so', () => {
    const random = seededRandom(4)
    const n = 3000
    const data = Float32Array.from({ length: n * 2 }, (_, i) => random() + (i % 4 < 2 ? 0 : 10))
    const assignments = Int32Array.from({ length: n }, (_, i) => i % 2)
    const a = silhouette(data, 2, assignments, { sample: 500, seed: 1 })
    const b = silhouette(data, 2, assignments, { sample: 500, seed: 1 })
    const c = silhouette(data, 2, assignments, { sample: 500, seed: 2 })
    const full = silhouette(data, 2, assignments, { sample: n })
    expect(a).toEqual(b)
    expect(a).toMatchObject({ sample: 500, of: n })
    expect(c.score).not.toBe(a.score)
    expect(a.score!).toBeCloseTo(full.score!, 2)
    expect(full.score!).toBeGreaterThan(0.9)
  })

  it('is undefined with one cluster', () => {
    expect(silhouette(points, 2, new Int32Array(10)).score).toBeNull()
  })
})

describe('clusterSizes', () => {
  it('counts rows per cluster, including empty ones', () => {
    expect(Array.from(clusterSizes(Int32Array.from([2, 0, 2, 2])))).toEqual([1, 0, 3])
    expect(Array.from(clusterSizes(Int32Array.from([1]), 3))).toEqual([0, 1, 0])
  })
})
