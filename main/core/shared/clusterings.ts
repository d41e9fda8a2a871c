// Clusterings as the UI and the CLI see them (docs/analysis.md, "Clustering"). Plain types: the
// renderer imports this file.
import { clusteringMethods, type StartableMethod } from './clustering-methods'

/** A clustering's method: one of clustering-methods.ts's, or a sweep of k. */
export type ClusteringMethod = StartableMethod | 'sweep'

/** What each method is called where users read it. */
export const clusteringMethodNames = Object.fromEntries([
  ...clusteringMethods.map((m) => [m.name, m.label]),
  ['sweep', 'k sweep'],
]) as Record<ClusteringMethod, string>

/** One epoch of a deep method. */
export interface DeepClusteringEpoch {
  epoch: number
  /** the mean objective over the epoch's batches */
  loss: number
  /** its clustering term */
  clusterLoss: number
  /** the fraction of the images that changed cluster after the epoch */
  changed: number | null
  seconds: number
}
export type ClusteringStatus = 'running' | 'completed' | 'failed' | 'cancelled'

export interface ClusteringParams {
  k: number
  /** k-means restarts; the lowest inertia is kept */
  nInit: number
  seed: number
  /** a sweep's range of k */
  from?: number
  to?: number
  /** N2D: runs of UMAP and the mixture (seed, seed+1, …) whose consensus is the answer */
  runs?: number
  /** deep methods: passes over the data at most, the term's weight (λ or γ), learning rate */
  epochs?: number
  weight?: number
  learningRate?: number
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
  /** deep methods: each epoch of the refinement */
  history?: DeepClusteringEpoch[]
  /** deep methods: how far the refinement moved from the k-means it started from */
  refinement?: Refinement
}

/** What a deep method's refinement changed, against the k-means assignment it started from. */
export interface Refinement {
  /** the fraction of the images whose cluster changed */
  moved: number
  /** why it stopped: the tolerance was met, or the epochs ran out */
  stopped: 'tolerance' | 'epochs'
  /** the clustering term's weight as applied (IDEC's γ scaled to the reconstruction's sum) */
  appliedWeight: number
  /** where labels exist: the starting k-means's accuracy and NMI */
  startAcc: number | null
  startNmi: number | null
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
  /**
   * how sure the method is of each item's cluster, 0…1, where it can say: for N2D, its runs'
   * agreement with the answer, each run weighted by its mixture's probability; for DEC and IDEC,
   * the soft assignment q to the cluster; null otherwise
   */
  certainty: Float32Array | null
}

export interface ClusteringProgress {
  id: number
  fraction: number
}

export function defaultClusterNames(k: number): string[] {
  return Array.from({ length: k }, (_, i) => `Cluster ${i + 1}`)
}
