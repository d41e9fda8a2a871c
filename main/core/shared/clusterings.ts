// Clusterings as the UI and the CLI see them (SPEC.md, "Deep clustering"). Plain types: the
// renderer imports this file.

/** k-means on the codes; N2D: UMAP of the codes, then a Gaussian mixture; a sweep of k */
export type ClusteringMethod = 'kmeans' | 'n2d' | 'sweep'
export type ClusteringStatus = 'running' | 'completed' | 'failed' | 'cancelled'

export interface ClusteringParams {
  k: number
  /** k-means restarts; the lowest inertia is kept */
  nInit: number
  seed: number
  /** a sweep's range of k */
  from?: number
  to?: number
}

export interface ClusteringMetrics {
  sizes: number[]
  inertia: number
  /** on a seeded sample of `silhouetteSample` codes */
  silhouette: number | null
  silhouetteSample: number
  /** where labels exist: accuracy under Hungarian matching, NMI, ARI */
  acc: number | null
  nmi: number | null
  ari: number | null
  /** cluster × label counts, row-major, with the label names */
  confusion: { labels: string[]; counts: number[] } | null
}

/** A sweep over k: inertia and silhouette for each, and the k it suggests. */
export interface KSweep {
  k: number[]
  inertia: number[]
  silhouette: (number | null)[]
  suggested: number
}

export interface ClusteringSummary {
  id: number
  runId: number
  method: ClusteringMethod
  params: ClusteringParams
  status: ClusteringStatus
  error: string | null
  k: number
  /** the user's names of the clusters, "Cluster 1"… by default */
  names: string[]
  metrics: ClusteringMetrics | null
  sweep: KSweep | null
  seconds: number | null
  createdAt: string
}

export interface Clustering extends ClusteringSummary {
  /** each item's cluster, in dataset order */
  assignments: Int32Array | null
  /** each item's distance to its cluster's centre */
  distances: Float32Array | null
}

export interface ClusteringProgress {
  id: number
  fraction: number
}

export function defaultClusterNames(k: number): string[] {
  return Array.from({ length: k }, (_, i) => `Cluster ${i + 1}`)
}
