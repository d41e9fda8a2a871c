// Which of a cluster's members the Clusters view shows: nearest the centre first for "most
// central", and the method's least certain for "least certain".
import type { Clustering } from '@shared/clusterings'

type Members = Pick<Clustering, 'assignments' | 'distances' | 'certainty'>

/** Dataset positions of a cluster's members, nearest to its centre first. */
export function membersOf(c: Members, cluster: number): number[] {
  const { assignments, distances } = c
  if (!assignments || !distances) return []
  const rows: number[] = []
  assignments.forEach((a, i) => a === cluster && rows.push(i))
  return rows.sort((a, b) => distances[a] - distances[b])
}

/**
 * A cluster's members (nearest its centre first), least certain first: by the method's own
 * certainty where it has one (N2D: how far its runs agree; DEC, IDEC: q), else farthest from the
 * centre.
 */
export function leastCertain(rows: number[], c: Members): number[] {
  const certainty = c.certainty
  if (!certainty) return [...rows].reverse()
  return rows
    .map((row, rank) => ({ row, rank }))
    .sort((a, b) => certainty[a.row] - certainty[b.row] || b.rank - a.rank)
    .map(({ row }) => row)
}

/** Positions as a mask over the dataset's `count` items, for `kept`; null stays null. */
export function maskOf(positions: ArrayLike<number> | null, count: number): Uint8Array | null {
  if (!positions) return null
  const mask = new Uint8Array(count)
  for (let i = 0; i < positions.length; i++) mask[positions[i]] = 1
  return mask
}

/** Only the rows the items filter keeps (`mask`, from maskOf); all of them without one. */
export function kept(rows: number[], mask: Uint8Array | null): number[] {
  return mask ? rows.filter((row) => mask[row] === 1) : rows
}

/**
 * The positions each cluster card shows, as the groups of one datasets.itemsAtGroups call:
 * cluster c's six most central at 2c, its four least certain at 2c + 1; of the members the
 * items filter keeps (`mask`) when there is one. `shown[c]`: how many of c's members it keeps.
 */
export function cardGroups(
  c: Members,
  clusters: number,
  mask: Uint8Array | null = null,
): { groups: number[][]; shown: number[] } {
  const shown: number[] = []
  const groups = Array.from({ length: clusters }, (_, cluster) => {
    const rows = kept(membersOf(c, cluster), mask)
    shown.push(rows.length)
    return [rows.slice(0, 6), leastCertain(rows, c).slice(0, 4)]
  }).flat()
  return { groups, shown }
}
