// Projections as the UI and the CLI see them (docs/analysis.md, "Projections"). Plain types: the
// renderer imports this file.

export type ProjectionSpace = 'latent' | 'raw'
export type ProjectionMethod = 'pca' | 'umap'
export type ProjectionStatus = 'running' | 'completed' | 'failed' | 'cancelled'

export interface ProjectionParams {
  dims: 2 | 3
  /** UMAP's n_neighbors */
  neighbors: number
  /** UMAP's min_dist */
  minDist: number
  metric: 'euclidean' | 'cosine'
  seed: number
}

/** How well a layout keeps the data's structure (issue: UMAP comparison, "Measured"). */
export interface ProjectionQuality {
  /** trustworthiness, k = 10, on a sample of up to 5,000 (metrics.ts's projectionQualitySettings) */
  trustworthiness: number
  /** kNN accuracy of the labels in the layout, leave-one-out, k = 10, where labels exist */
  knnAccuracy: number | null
  /** silhouette of the labels in the layout, where labels exist */
  silhouette: number | null
  sample: number
  /** PCA: the variance each axis explains */
  explained?: number[]
}

export interface ProjectionSummary {
  id: number
  datasetId: number
  /** null: the dataset's raw pixels */
  runId: number | null
  space: ProjectionSpace
  method: ProjectionMethod
  params: ProjectionParams
  status: ProjectionStatus
  error: string | null
  rows: number | null
  quality: ProjectionQuality | null
  seconds: number | null
  createdAt: string
}

export interface Projection extends ProjectionSummary {
  /** rows × dims, in dataset order */
  coords: Float32Array | null
}

export interface ProjectionProgress {
  id: number
  phase: 'loading' | 'neighbors' | 'layout' | 'quality'
  /** 0–1 within the phase */
  fraction: number
  /** a provisional layout (UMAP refines it as it goes), rows × dims */
  layout?: Float32Array
}

export const defaultProjectionParams: ProjectionParams = {
  dims: 2,
  neighbors: 15,
  minDist: 0.1,
  metric: 'euclidean',
  seed: 1,
}

/** The parameters that change a method's result, in a fixed order: the cache key. */
export function projectionKey(method: ProjectionMethod, params: ProjectionParams): string {
  const { dims, neighbors, minDist, metric, seed } = params
  return JSON.stringify(method === 'pca' ? { dims } : { dims, neighbors, minDist, metric, seed })
}
