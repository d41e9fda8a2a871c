// k-nearest neighbours of n×d row-major Float32Array data, for UMAP
// (docs/analysis.md, "Projections").
//
// Why not umap-js's own search: its NN-descent over number[][] is most of the 81 s plain umap-js
// takes on 20,000 Fashion-MNIST images. An exact search by blocked Gram matrix in tfjs-wasm
// (‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b) costs 2·n²·d flops: 24 s at d = 784. So wide data is projected
// on its top 64 principal axes (0.7–1.9 s), every pair is ranked there (matMul tiles plus a JS
// scan, ~3.5 s), and each row's best 45 are re-ranked by exact distance (~1.2 s). Recall of the
// true 15 neighbours (self included): 0.978 with 45 candidates, 0.991 with 60, 0.915 with 32 axes,
// 0.993 with 96 axes but 2.5× the time. Narrow data (d ≤ 64, e.g. latent codes) is searched
// exactly. Big searches split the rows with a worker thread (knn.worker.ts): 4.4 s → 3.2 s when
// the second core was free, the same CPU. Timings: 20,000 × 784, wasm, 2 shared cores (load 3–6).
import { availableParallelism } from 'node:os'
import { workerEntry, type WorkerEntry } from '../worker-entry'
import * as tf from '@tensorflow/tfjs-core'
import { orthonormalColumns, symmetricEigen } from '../shared/eigen'
import { abortError } from '../jobs/cancel'
import {
  searchRows,
  yieldToEventLoop,
  type Metric,
  type RowNeighbours,
  type SearchJob,
} from './knn-rows'
import type { KnnProtocol } from './knn.worker'
import { RpcWorker } from '../jobs/worker-rpc'

export { squaredDistance, yieldToEventLoop, type Metric } from './knn-rows'

export interface NeighbourGraph {
  /** n×k row-major; each row starts with the point itself (distance 0) */
  indices: Int32Array
  distances: Float32Array
  k: number
  /** wide data on its principal axes (n×principalDims, strongest first), when it was projected */
  principal?: Float32Array
  principalDims: number
}

export interface KnnOptions {
  metric?: Metric
  seed?: number
  /** dimensions kept by the projection of wide data */
  reducedDims?: number
  /** neighbours per row taken from the projected ranking and re-ranked exactly */
  candidates?: number
  /** 2 splits the rows with a worker thread; by default when there are 2 cores and ≥ 1e10 n²·d */
  threads?: number
  signal?: AbortSignal
  onProgress?(fraction: number): void
}

import { seededRandom } from '../shared/random'

/** Unit rows, so that euclidean order equals cosine order and cosine distance = ‖a−b‖²/2. */
export function unitRows(data: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(n * dim)
  for (let i = 0; i < n; i++) {
    const o = i * dim
    let sum = 0
    for (let j = 0; j < dim; j++) sum += data[o + j] * data[o + j]
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0
    for (let j = 0; j < dim; j++) out[o + j] = data[o + j] * scale
  }
  return out
}

/**
 * Visits the dot products of `rows` with every row of `all` (nAll×dim), a block of rows at a
 * time, as a row-major count×nAll Float32Array. Plain matMul against a transposed copy: tfjs-wasm
 * runs `matMul(a, b, false, true)` ~10× slower.
 */
export async function dotBlocks(
  rows: Float32Array,
  nRows: number,
  all: Float32Array,
  nAll: number,
  dim: number,
  visit: (start: number, count: number, dots: Float32Array) => void,
  signal?: AbortSignal,
): Promise<void> {
  const blockRows = Math.max(16, Math.min(nRows, Math.floor(8e6 / Math.max(1, nAll))))
  const allT = tf.tidy(() => tf.transpose(tf.tensor2d(all, [nAll, dim])))
  try {
    for (let start = 0; start < nRows; start += blockRows) {
      const count = Math.min(blockRows, nRows - start)
      const block = tf.tidy(() =>
        tf.matMul(
          tf.tensor2d(rows.subarray(start * dim, (start + count) * dim), [count, dim]),
          allT,
        ),
      )
      // read without blocking: WebGPU has no synchronous read in Node (docs/architecture.md, "Backends")
      const dots = (await block.data().finally(() => block.dispose())) as Float32Array
      visit(start, count, dots)
      await yieldToEventLoop(signal)
    }
  } finally {
    allT.dispose()
  }
}

/** Orthonormal basis (dim×m, row-major) of the top-m principal subspace, by subspace iteration. */
export async function principalBasis(
  data: Float32Array,
  n: number,
  dim: number,
  m: number,
  seed: number,
): Promise<Float32Array> {
  // the covariance of up to 10,000 rows is plenty for a 64-d subspace and halves its cost
  const step = Math.max(1, Math.floor(n / 10_000))
  const rows = Math.ceil(n / step)
  const sample = new Float32Array(rows * dim)
  for (let r = 0; r < rows; r++)
    sample.set(data.subarray(r * step * dim, (r * step + 1) * dim), r * dim)
  const random = seededRandom(seed)
  const q0 = Float32Array.from({ length: dim * m }, () => random() - 0.5)
  // (typed arrays are read outside tf.tidy, which would walk them element by element)
  const cov = tf.tidy(() => {
    const x = tf.tensor2d(sample, [rows, dim])
    const centred = tf.sub(x, tf.mean(x, 0, true))
    return tf.matMul(tf.transpose(centred), centred)
  })
  try {
    let basis: Float32Array = q0
    for (let iteration = 0; iteration < 8; iteration++)
      basis = orthonormalColumns(await productOf(cov, basis, dim, m), dim, m)
    return ritzRotation(basis, await productOf(cov, basis, dim, m), dim, m)
  } finally {
    cov.dispose()
  }
}

/** cov · q (q: dim×m, row-major), read back. */
async function productOf(
  cov: tf.Tensor,
  q: Float32Array,
  dim: number,
  m: number,
): Promise<Float32Array> {
  const product = tf.tidy(() => tf.matMul(cov, tf.tensor2d(q, [dim, m])))
  return (await product.data().finally(() => product.dispose())) as Float32Array
}

/**
 * Turns an orthonormal basis Q of the subspace into its principal axes, strongest first
 * (Rayleigh–Ritz: eigenvectors V of QᵀCQ, then QV), so that a 2-D init gets the top two.
 */
function ritzRotation(q: Float32Array, cq: Float32Array, dim: number, m: number): Float32Array {
  const small = new Float64Array(m * m)
  for (let r = 0; r < dim; r++)
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) small[a * m + b] += q[r * m + a] * cq[r * m + b]
  const { values, vectors } = symmetricEigen(small, m)
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => values[j] - values[i])
  const out = new Float32Array(dim * m)
  for (let r = 0; r < dim; r++)
    order.forEach((from, c) => {
      let sum = 0
      for (let a = 0; a < m; a++) sum += q[r * m + a] * vectors[a * m + from]
      out[r * m + c] = sum
    })
  return out
}

async function project(
  data: Float32Array,
  n: number,
  dim: number,
  basis: Float32Array,
  m: number,
): Promise<Float32Array> {
  const projected = tf.tidy(() =>
    tf.matMul(tf.tensor2d(data, [n, dim]), tf.tensor2d(basis, [dim, m])),
  )
  return (await projected.data().finally(() => projected.dispose())) as Float32Array
}

/** The k nearest neighbours of every row (itself first), by `metric`. */
export async function nearestNeighbours(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  options: KnnOptions = {},
): Promise<NeighbourGraph> {
  const { metric = 'euclidean', seed = 0, signal, onProgress } = options
  if (signal?.aborted) throw abortError(signal)
  const reducedDims = options.reducedDims ?? 64
  k = Math.min(k, n)
  const rows = metric === 'cosine' ? unitRows(data, n, dim) : data
  let job: SearchJob = { rows, dim, space: rows, spaceDim: dim, n, keep: k, k, metric }
  let principal: Float32Array | undefined
  if (dim > reducedDims) {
    const basis = await principalBasis(rows, n, dim, reducedDims, seed)
    await yieldToEventLoop(signal)
    principal = await project(rows, n, dim, basis, reducedDims)
    const keep = Math.min(n, Math.max(k, options.candidates ?? 3 * k))
    job = { ...job, space: principal, spaceDim: reducedDims, keep }
  }
  // on the GPU the search is one device's work: a helper thread would only take the CPU path
  const helped = availableParallelism() > 1 && tf.getBackend() !== 'webgpu'
  const threads = options.threads ?? (n * n * job.spaceDim >= 1e10 && helped ? 2 : 1)
  const entry = threads > 1 ? workerEntry('knn', import.meta.dirname) : null
  let found: RowNeighbours
  if (entry) {
    // rows are cut in two at the same place whatever runs them, so the result is the same
    const half = Math.ceil(n / 2)
    const shared = { ...job, rows: toShared(job.rows), space: toShared(job.space) }
    const [first, second] = await Promise.all([
      searchRows(shared, 0, half, signal, (f) => onProgress?.(0.99 * f)),
      inWorker(entry, shared, half, n, signal).catch((error: unknown) => {
        if (signal?.aborted) throw error
        // a worker that cannot start (no wasm in it, say) only costs time
        return searchRows(shared, half, n, signal)
      }),
    ])
    found = {
      indices: concat(first.indices, second.indices, Int32Array),
      distances: concat(first.distances, second.distances, Float32Array),
    }
  } else found = await searchRows(job, 0, n, signal, (f) => onProgress?.(0.99 * f))
  onProgress?.(1)
  return { ...found, k, principal, principalDims: principal ? reducedDims : 0 }
}

function toShared(values: Float32Array): Float32Array {
  if (values.buffer instanceof SharedArrayBuffer) return values
  const shared = new Float32Array(new SharedArrayBuffer(values.byteLength))
  shared.set(values)
  return shared
}

function concat<T extends Int32Array | Float32Array>(
  a: T,
  b: T,
  Type: new (length: number) => T,
): T {
  const out = new Type(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/** Searches rows rowStart…rowEnd − 1 on a worker thread running the same tfjs backend. */
async function inWorker(
  entry: WorkerEntry,
  job: SearchJob,
  rowStart: number,
  rowEnd: number,
  signal: AbortSignal | undefined,
): Promise<RowNeighbours> {
  const worker = new RpcWorker<KnnProtocol>(entry, 'the neighbour-search worker')
  try {
    return await worker.invoke({ job, rowStart, rowEnd, backend: tf.getBackend() }, { signal })
  } finally {
    void worker.terminate()
  }
}
