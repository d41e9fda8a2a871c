// The N2D recipe as one function, for the clustering process and the benchmark.
import type { ClusteringParams } from '../shared/clusterings'
import { useBackend } from '../training/backend'
import { gaussianMixture } from './gmm'
import { umapLayout } from './umap'

/**
 * The N2D recipe (McConville et al., 2020): UMAP of the codes to a few dimensions with
 * n_neighbors 20 and min_dist 0, then a full-covariance Gaussian mixture there. Distances are to
 * each row's component mean in that space.
 */
export async function n2d(
  codes: Float32Array,
  rows: number,
  dims: number,
  params: Pick<ClusteringParams, 'k' | 'seed'>,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
) {
  await useBackend('auto') // UMAP's neighbour search runs on tfjs
  const width = Math.min(10, dims)
  const layout = await umapLayout(
    codes,
    rows,
    dims,
    { neighbors: 20, minDist: 0, dims: width, metric: 'euclidean', seed: params.seed },
    {
      signal,
      onProgress: (phase, f) => onProgress(phase === 'neighbors' ? f * 0.3 : 0.3 + f * 0.5),
    },
  )
  const mixture = await gaussianMixture(layout, rows, width, {
    k: params.k,
    seed: params.seed,
    signal,
    onProgress: (f) => onProgress(0.8 + f * 0.1),
  })
  const distances = new Float32Array(rows)
  for (let i = 0; i < rows; i++) {
    const c = mixture.assignments[i]
    let sum = 0
    for (let d = 0; d < width; d++)
      sum += (layout[i * width + d] - mixture.means[c * width + d]) ** 2
    distances[i] = Math.sqrt(sum)
  }
  let inertia = 0
  for (const d of distances) inertia += d * d
  return { assignments: mixture.assignments, distances, inertia }
}
