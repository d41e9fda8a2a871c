// Which images a cluster card shows, and how they are grouped for the one batched call.
import { describe, expect, it } from 'vitest'
import {
  cardGroups,
  kept,
  leastCertain,
  maskOf,
  membersOf,
} from '../../../../renderer/src/clusters/members'

// items 0…7 in clusters 0 and 1; distances and certainty chosen so the orders differ
const clustering = {
  assignments: Int32Array.from([0, 1, 0, 0, 1, 0, 1, 0]),
  distances: Float32Array.from([0.5, 0.2, 0.1, 0.9, 0.4, 0.3, 0.1, 0.7]),
  certainty: null as Float32Array | null,
}

describe('cluster members', () => {
  it('lists a cluster nearest its centre first', () => {
    expect(membersOf(clustering, 0)).toEqual([2, 5, 0, 7, 3])
    expect(membersOf(clustering, 1)).toEqual([6, 1, 4])
    expect(membersOf({ ...clustering, assignments: null }, 0)).toEqual([])
  })

  it('puts the least certain first: by certainty where there is one, else the farthest', () => {
    const rows = membersOf(clustering, 0)
    expect(leastCertain(rows, clustering)).toEqual([3, 7, 0, 5, 2])
    const certainty = Float32Array.from([0.9, 1, 0.2, 0.9, 1, 0.2, 1, 0.5])
    // ties (2 and 5 at 0.2; 0 and 3 at 0.9) go to the one farther from the centre
    expect(leastCertain(rows, { ...clustering, certainty })).toEqual([5, 2, 7, 3, 0])
  })

  it('groups every card as [most central, least certain], two groups per cluster', () => {
    const { groups, shown } = cardGroups(clustering, 3)
    expect(groups).toEqual([[2, 5, 0, 7, 3], [3, 7, 0, 5], [6, 1, 4], [4, 1, 6], [], []])
    expect(shown).toEqual([5, 3, 0])
  })

  it('shows only the members the items filter keeps, and counts them per cluster', () => {
    const mask = maskOf(Int32Array.from([0, 3, 7]), 8)
    expect(kept([2, 5, 0, 7, 3], mask)).toEqual([0, 7, 3])
    expect(kept([2, 5], null)).toEqual([2, 5])
    const { groups, shown } = cardGroups(clustering, 2, mask)
    expect(groups).toEqual([[0, 7, 3], [3, 7, 0], [], []])
    expect(shown).toEqual([3, 0])
  })
})
