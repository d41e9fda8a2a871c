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

/**
 * The positions each cluster card shows, as the groups of one datasets.itemsAtGroups call:
 * cluster c's six most central at 2c, its four least certain at 2c + 1.
 */
export function cardGroups(c: Members, clusters: number): number[][] {
  return Array.from({ length: clusters }, (_, cluster) => {
    const rows = membersOf(c, cluster)
    return [rows.slice(0, 6), leastCertain(rows, c).slice(0, 4)]
  }).flat()
}
