// The N2D recipe as one function, for the clustering process and the benchmark.
import type { ClusteringParams } from '../shared/clusterings'
import { n2dDefaults } from '../shared/clusterings'
import { useBackend } from '../training/backend'
import { consensus } from './consensus'
import { gaussianMixture } from './gmm'
import { umapFromGraph, umapGraph, type UmapParams } from './umap'

/**
 * The N2D recipe (McConville et al., 2020): UMAP of the codes to a few dimensions with
 * n_neighbors 20 and min_dist 0, then a full-covariance Gaussian mixture there. With `runs` > 1
 * the layout and the mixture run once per seed (seed, seed+1, …) on one neighbour graph, and
 * their consensus (consensus.ts) is the answer: which UMAP clumps one run's mixture merges is
 * close to a draw, and the runs' consensus is steadier than any one of them. Distances are to
 * each row's cluster mean in the first run's layout; `members` are the runs' own clusters.
 */
export async function n2d(
  codes: Float32Array,
  rows: number,
  dims: number,
  params: Pick<ClusteringParams, 'k' | 'seed' | 'runs'>,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
) {
  await useBackend('auto') // UMAP's neighbour search runs on tfjs
  const width = Math.min(10, dims)
  const runs = params.runs ?? n2dDefaults.runs
  const umap = (seed: number): UmapParams => ({
    neighbors: 20,
    minDist: 0,
    dims: width,
    metric: 'euclidean',
    seed,
  })
  const graph = await umapGraph(codes, rows, dims, umap(params.seed), {
    signal,
    onProgress: (_, f) => onProgress(f * 0.25),
  })
  const share = 0.65 / runs
  const members: Int32Array[] = []
  let first: Float32Array | null = null
  for (let r = 0; r < runs; r++) {
    const seed = params.seed + r
    const at = 0.25 + r * share
    const layout = await umapFromGraph(graph, codes, rows, dims, umap(seed), {
      signal,
      onProgress: (_, f) => onProgress(at + f * share * 0.8),
    })
    const mixture = await gaussianMixture(layout, rows, width, {
      k: params.k,
      seed,
      signal,
      onProgress: (f) => onProgress(at + share * (0.8 + f * 0.2)),
    })
    members.push(mixture.assignments)
    first ??= layout
  }
  const assignments =
    runs > 1 ? await consensus(members, params.k, params.seed, signal) : members[0]
  onProgress(0.95)
  const { distances, inertia } = distancesToMeans(first!, rows, width, assignments, params.k)
  return { assignments, distances, inertia, members }
}

/** Each row's distance to its cluster's mean in `points` (n × dims), and their squares' sum. */
function distancesToMeans(
  points: Float32Array,
  rows: number,
  dims: number,
  assignments: Int32Array,
  k: number,
) {
  const means = new Float64Array(k * dims)
  const sizes = new Float64Array(k)
  for (let i = 0; i < rows; i++) {
    const c = assignments[i]
    sizes[c]++
    for (let d = 0; d < dims; d++) means[c * dims + d] += points[i * dims + d]
  }
  for (let c = 0; c < k; c++) for (let d = 0; d < dims; d++) means[c * dims + d] /= sizes[c] || 1
  const distances = new Float32Array(rows)
  let inertia = 0
  for (let i = 0; i < rows; i++) {
    const c = assignments[i]
    let sum = 0
    for (let d = 0; d < dims; d++) sum += (points[i * dims + d] - means[c * dims + d]) ** 2
    distances[i] = Math.sqrt(sum)
    inertia += sum
  }
  return { distances, inertia }
}
