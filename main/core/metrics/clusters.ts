// Clustering metrics against labels (docs/analysis.md, "Clustering metrics"): cluster sizes and, where labels exist, ACC under Hungarian
// matching, NMI and ARI, all three as scikit-learn defines them (accuracy as in the DEC paper;
// normalized_mutual_info_score with arithmetic averaging; adjusted_rand_score), computed from one
// cluster × label contingency table. The silhouette, which needs no labels, is silhouette.ts.
import munkres from 'munkres-js'

export interface Confusion {
  clusters: number
  classes: number
  /** counts[cluster * classes + label]: how many rows of that label fell in that cluster */
  counts: Int32Array
  /** labelled rows counted */
  total: number
}

/** Rows per cluster. */
export function clusterSizes(assignments: ArrayLike<number>, k?: number): Int32Array {
  let clusters = k ?? 0
  if (k === undefined)
    for (let i = 0; i < assignments.length; i++) clusters = Math.max(clusters, assignments[i] + 1)
  const sizes = new Int32Array(clusters)
  for (let i = 0; i < assignments.length; i++) sizes[assignments[i]]++
  return sizes
}

/** The cluster × label table; rows whose label is negative (unlabelled) are left out. */
export function confusion(
  assignments: ArrayLike<number>,
  labels: ArrayLike<number>,
  shape: { clusters?: number; classes?: number } = {},
): Confusion {
  if (assignments.length !== labels.length)
    throw new Error(`${assignments.length} assignments but ${labels.length} labels`)
  let clusters = shape.clusters ?? 0
  let classes = shape.classes ?? 0
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) continue
    if (shape.clusters === undefined) clusters = Math.max(clusters, assignments[i] + 1)
    if (shape.classes === undefined) classes = Math.max(classes, labels[i] + 1)
  }
  const counts = new Int32Array(clusters * classes)
  let total = 0
  for (let i = 0; i < labels.length; i++)
    if (labels[i] >= 0) {
      counts[assignments[i] * classes + labels[i]]++
      total++
    }
  return { clusters, classes, counts, total }
}

/** The one-to-one cluster → label matching that agrees with the most rows (Hungarian); −1 where a cluster gets none. */
export function matchClusters(table: Confusion): Int32Array {
  const { clusters, classes, counts } = table
  const most = counts.reduce((a, b) => Math.max(a, b), 0)
  const cost = Array.from({ length: clusters }, (_, c) =>
    Array.from({ length: classes }, (_, l) => most - counts[c * classes + l]),
  )
  const match = new Int32Array(clusters).fill(-1)
  if (clusters && classes) for (const [c, l] of munkres(cost)) match[c] = l
  return match
}

/** ACC: the share of labelled rows whose cluster is matched to their label. */
export function clusteringAccuracy(table: Confusion): number {
  const match = matchClusters(table)
  let right = 0
  match.forEach((label, cluster) => {
    if (label >= 0) right += table.counts[cluster * table.classes + label]
  })
  return table.total ? right / table.total : 0
}

function marginals(table: Confusion): { perCluster: Float64Array; perClass: Float64Array } {
  const { clusters, classes, counts } = table
  const perCluster = new Float64Array(clusters)
  const perClass = new Float64Array(classes)
  for (let c = 0; c < clusters; c++)
    for (let l = 0; l < classes; l++) {
      perCluster[c] += counts[c * classes + l]
      perClass[l] += counts[c * classes + l]
    }
  return { perCluster, perClass }
}

function entropy(sizes: Float64Array, total: number): number {
  let h = 0
  for (const size of sizes) if (size > 0) h -= (size / total) * Math.log(size / total)
  return h
}

/** NMI = I(U; V) / ((H(U) + H(V)) / 2), with sklearn's special cases. */
export function nmi(table: Confusion): number {
  const { clusters, classes, counts, total } = table
  const { perCluster, perClass } = marginals(table)
  const usedClusters = perCluster.filter((size) => size > 0).length
  const usedClasses = perClass.filter((size) => size > 0).length
  // sklearn: one cluster against one class (or nothing against nothing) is a perfect match
  if (usedClusters === usedClasses && usedClusters <= 1) return 1
  let mutual = 0
  for (let c = 0; c < clusters; c++)
    for (let l = 0; l < classes; l++) {
      const count = counts[c * classes + l]
      if (count > 0)
        mutual += (count / total) * Math.log((count * total) / (perCluster[c] * perClass[l]))
    }
  if (mutual <= 0) return 0
  const mean = (entropy(perCluster, total) + entropy(perClass, total)) / 2
  return mutual / Math.max(mean, Number.EPSILON)
}

/** ARI from the pair confusion matrix, as sklearn's adjusted_rand_score. */
export function ari(table: Confusion): number {
  const { clusters, classes, counts, total } = table
  const { perCluster, perClass } = marginals(table)
  let squares = 0
  let byClass = 0
  let byCluster = 0
  for (let c = 0; c < clusters; c++)
    for (let l = 0; l < classes; l++) {
      const count = counts[c * classes + l]
      squares += count * count
      byClass += count * perClass[l]
      byCluster += count * perCluster[c]
    }
  const together = squares - total // pairs together in both
  const onlyCluster = byClass - squares // same label, different clusters
  const onlyClass = byCluster - squares // same cluster, different labels
  const apart = total * total - onlyCluster - onlyClass - squares
  if (onlyCluster === 0 && onlyClass === 0) return 1
  return (
    (2 * (together * apart - onlyClass * onlyCluster)) /
    ((together + onlyClass) * (onlyClass + apart) +
      (together + onlyCluster) * (onlyCluster + apart))
  )
}
