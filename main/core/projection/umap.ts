// UMAP layouts for the comparison of raw pixels and latent codes (docs/analysis.md, "Projections").
//
// The method is umap-learn's (McInnes et al. 2018): fuzzy simplicial set of the k-NN graph,
// then SGD on its edges with negative sampling. umap-js supplies the curve parameters a, b; the
// rest is written here over typed arrays because umap-js's parts measured too slow on 20,000
// Fashion-MNIST images (CPU seconds, 2 shared cores): its NN-descent (see knn.ts); initializeFit
// with a precomputed graph 10.4 s (string-keyed sparse matrices, and a search graph that only
// `transform` needs) against ~0.3 s for fuzzySimplicialSet here; step() 0.13 s per epoch
// (number[][], two Math.pow per sample) against ~0.02 s here (200 epochs: 26 s → 3.8 s; umap-sgd.ts).
import { abortError } from '../jobs/cancel'
import {
  nearestNeighbours,
  principalBasis,
  unitRows,
  yieldToEventLoop,
  type Metric,
  type NeighbourGraph,
} from './knn'
import { optimiseLayout } from './umap-sgd'
import { seededRandom } from '../shared/random'

export interface UmapParams {
  neighbors: number
  minDist: number
  /** 2 or 3 to draw; more (up to 32) as a step before clustering (N2D) */
  dims: number
  metric: Metric
  seed: number
  /** SGD epochs; by default umap-learn's: 500 up to 10,000 points, else 200 */
  epochs?: number
}

export interface UmapHooks {
  onProgress?(phase: 'neighbors' | 'layout', fraction: number): void
  /** the layout so far (a copy), at most every `layoutEveryMs` and once at the end */
  onLayout?(embedding: Float32Array, epoch: number, epochs: number): void
  layoutEveryMs?: number
  signal?: AbortSignal
}

/**
 * n×dims row-major layout of n×dim row-major `data`. Deterministic for a seed. The neighbour
 * search runs on the tfjs backend the caller chose (useBackend: tensorflow or wasm; the plain
 * `cpu` backend works but is slow beyond a few thousand rows). Throws the signal's AbortError
 * when cancelled.
 */
export async function umapLayout(
  data: Float32Array,
  n: number,
  dim: number,
  params: UmapParams,
  hooks: UmapHooks = {},
): Promise<Float32Array> {
  const graph = await umapGraph(data, n, dim, params, hooks)
  return umapFromGraph(graph, data, n, dim, params, hooks)
}

/** UMAP's first half: the k-NN graph of `data`, which layouts of other seeds can share. */
export async function umapGraph(
  data: Float32Array,
  n: number,
  dim: number,
  params: UmapParams,
  hooks: UmapHooks = {},
): Promise<NeighbourGraph> {
  const { signal } = hooks
  if (signal?.aborted) throw abortError(signal)
  if (n <= params.neighbors)
    throw new Error(
      `UMAP needs more points than neighbours: ${n} points, ${params.neighbors} neighbours.`,
    )
  const graph = await nearestNeighbours(data, n, dim, params.neighbors, {
    metric: params.metric,
    seed: params.seed,
    signal,
    onProgress: (fraction) => hooks.onProgress?.('neighbors', fraction),
  })
  await yieldToEventLoop(signal)
  return graph
}

/** UMAP's second half: the layout of `data` from its graph, for `params.seed`. */
export async function umapFromGraph(
  graph: NeighbourGraph,
  data: Float32Array,
  n: number,
  dim: number,
  params: UmapParams,
  hooks: UmapHooks = {},
): Promise<Float32Array> {
  const epochs = params.epochs ?? (n <= 10_000 ? 500 : 200)
  const edges = fuzzySimplicialSet(graph, n, epochs)
  const embedding = graph.principal
    ? stretchLayout(graph.principal, n, graph.principalDims, params.dims, params.seed)
    : await initialLayout(
        params.metric === 'cosine' ? unitRows(data, n, dim) : data,
        n,
        dim,
        params,
      )
  await optimiseLayout(embedding, n, params, edges, epochs, hooks)
  return embedding
}

/** The edges that SGD samples: both directions of each symmetric edge, with their weights. */
export interface Edges {
  head: Int32Array
  tail: Int32Array
  weight: Float32Array
}

/**
 * umap-learn's fuzzy_simplicial_set (local connectivity 1, set-op mix 1): per point, ρ = the
 * nearest nonzero distance and σ such that Σ exp(−(d − ρ)/σ) = log2 k; then w ∪ wᵀ = w + wᵀ − w·wᵀ.
 * Weights below max / epochs are dropped, as umap-learn does before optimising.
 */
export function fuzzySimplicialSet(graph: NeighbourGraph, n: number, epochs: number): Edges {
  const { indices, distances, k } = graph
  const target = Math.log2(k)
  const weights = new Float64Array(n * k)
  let meanAll = 0
  for (let i = 0; i < n * k; i++) meanAll += distances[i]
  meanAll /= n * k
  for (let i = 0; i < n; i++) {
    const o = i * k
    let rho = 0
    let mean = 0
    for (let j = 0; j < k; j++) {
      mean += distances[o + j]
      if (rho === 0 && distances[o + j] > 0) rho = distances[o + j]
    }
    mean /= k
    let lo = 0
    let hi = Infinity
    let mid = 1
    for (let iteration = 0; iteration < 64; iteration++) {
      let psum = 0
      for (let j = 1; j < k; j++) {
        const d = distances[o + j] - rho
        psum += d > 0 ? Math.exp(-d / mid) : 1
      }
      if (Math.abs(psum - target) < 1e-5) break
      if (psum > target) {
        hi = mid
        mid = (lo + hi) / 2
      } else {
        lo = mid
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2
      }
    }
    const sigma = Math.max(mid, 1e-3 * (rho > 0 ? mean : meanAll))
    for (let j = 0; j < k; j++) {
      const d = distances[o + j] - rho
      weights[o + j] = indices[o + j] === i ? 0 : d <= 0 ? 1 : Math.exp(-d / sigma)
    }
  }
  // symmetrise: one slot per unordered pair, keyed lo·n + hi (exact in a double up to n ≈ 9e7)
  const slot = new Map<number, number>()
  const pairLo: number[] = []
  const pairHi: number[] = []
  const forward: number[] = []
  const backward: number[] = []
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) {
      const w = weights[i * k + j]
      const other = indices[i * k + j]
      if (w <= 0) continue
      const lo = Math.min(i, other)
      const hi = Math.max(i, other)
      const key = lo * n + hi
      let s = slot.get(key)
      if (s === undefined) {
        s = pairLo.length
        slot.set(key, s)
        pairLo.push(lo)
        pairHi.push(hi)
        forward.push(0)
        backward.push(0)
      }
      if (i === lo) forward[s] = w
      else backward[s] = w
    }
  const pairs = pairLo.length
  const union = new Float64Array(pairs)
  let max = 0
  for (let s = 0; s < pairs; s++) {
    union[s] = forward[s] + backward[s] - forward[s] * backward[s]
    if (union[s] > max) max = union[s]
  }
  // edges in row order, as umap-learn takes them from its COO graph (a counting sort by head).
  // It matters: with each edge's two directions side by side, trustworthiness on Fashion-MNIST
  // was 0.972–0.974 (3 seeds); in row order 0.977–0.978, as umap-learn's 0.978.
  const start = new Int32Array(n + 1)
  for (let s = 0; s < pairs; s++)
    if (union[s] >= max / epochs) {
      start[pairLo[s] + 1]++
      start[pairHi[s] + 1]++
    }
  for (let i = 0; i < n; i++) start[i + 1] += start[i]
  const head = new Int32Array(start[n])
  const tail = new Int32Array(start[n])
  const weight = new Float32Array(start[n])
  const next = start.slice(0, n)
  const place = (from: number, to: number, w: number) => {
    const e = next[from]++
    head[e] = from
    tail[e] = to
    weight[e] = w
  }
  for (let s = 0; s < pairs; s++)
    if (union[s] >= max / epochs) {
      place(pairLo[s], pairHi[s], union[s])
      place(pairHi[s], pairLo[s], union[s])
    }
  sortTailsWithinRows(start, tail, weight)
  return { head, tail, weight }
}

/** Insertion sort of each row's (tail, weight) by tail; rows hold ~20 edges. */
function sortTailsWithinRows(start: Int32Array, tail: Int32Array, weight: Float32Array): void {
  for (let i = 0; i + 1 < start.length; i++)
    for (let e = start[i] + 1; e < start[i + 1]; e++) {
      const t = tail[e]
      const w = weight[e]
      let p = e
      while (p > start[i] && tail[p - 1] > t) {
        tail[p] = tail[p - 1]
        weight[p] = weight[p - 1]
        p--
      }
      tail[p] = t
      weight[p] = w
    }
}

/**
 * The data on its top principal axes (umap-learn's init='pca'; its default, a spectral layout,
 * needs an eigensolver): deterministic, cheap, and it keeps the global arrangement that random
 * starts lose. Wide data arrives projected already, from the neighbour search.
 */
export async function initialLayout(
  rows: Float32Array,
  n: number,
  dim: number,
  params: Pick<UmapParams, 'dims' | 'seed'>,
): Promise<Float32Array> {
  const m = Math.min(dim, params.dims)
  const basis = await principalBasis(rows, n, dim, m, params.seed)
  const projected = new Float32Array(n * m)
  for (let i = 0; i < n; i++)
    for (let c = 0; c < m; c++) {
      let sum = 0
      for (let j = 0; j < dim; j++) sum += rows[i * dim + j] * basis[j * m + c]
      projected[i * m + c] = sum
    }
  return stretchLayout(projected, n, m, params.dims, params.seed)
}

/**
 * The first `dims` columns of n×width `coords` (missing ones 0), with a little seeded noise to
 * part coincident points; then, as umap-learn does after any init, each axis stretched to
 * [0, 10], the scale its curve parameters a, b assume.
 */
function stretchLayout(
  coords: Float32Array,
  n: number,
  width: number,
  dims: number,
  seed: number,
): Float32Array {
  const layout = new Float32Array(n * dims)
  let extent = 0
  for (let i = 0; i < n; i++)
    for (let c = 0; c < Math.min(dims, width); c++) {
      layout[i * dims + c] = coords[i * width + c]
      extent = Math.max(extent, Math.abs(coords[i * width + c]))
    }
  const random = seededRandom(seed ^ 0x5bd1e995)
  const noise = extent > 0 ? extent * 1e-5 : 1
  for (let c = 0; c < dims; c++) {
    let lo = Infinity
    let hi = -Infinity
    for (let i = 0; i < n; i++) {
      const value = (layout[i * dims + c] += (random() - 0.5) * noise)
      lo = Math.min(lo, value)
      hi = Math.max(hi, value)
    }
    const scale = hi > lo ? 10 / (hi - lo) : 1
    for (let i = 0; i < n; i++) layout[i * dims + c] = (layout[i * dims + c] - lo) * scale
  }
  return layout
}
