// The neighbour search for a range of rows: shared by knn.ts on the main thread and by
// knn.worker.ts, which takes the other half of the rows when two cores are free.
import * as tf from '@tensorflow/tfjs-core'
import { abortError } from '../jobs/cancel'

export type Metric = 'euclidean' | 'cosine'

/** What both threads search: `space` ranks all pairs, `rows` re-ranks each row's best `keep`. */
export interface SearchJob {
  /** the rows (unit rows for cosine), n×dim */
  rows: Float32Array
  dim: number
  /** where pairs are ranked: the rows themselves, or their principal projection, n×spaceDim */
  space: Float32Array
  spaceDim: number
  n: number
  keep: number
  k: number
  metric: Metric
}

export interface RowNeighbours {
  /** (rowEnd − rowStart)×k, each row itself first */
  indices: Int32Array
  distances: Float32Array
}

/** Lets progress and cancel messages through when this runs in a worker. */
export function yieldToEventLoop(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      if (signal?.aborted) reject(abortError(signal))
      else resolve()
    }),
  )
}

export function squaredDistance(
  a: Float32Array,
  ia: number,
  b: Float32Array,
  ib: number,
  dim: number,
): number {
  // four accumulators break the add dependency chain (~1.2× on d = 784 in V8)
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let j = 0
  const oa = ia * dim
  const ob = ib * dim
  for (; j + 3 < dim; j += 4) {
    const d0 = a[oa + j] - b[ob + j]
    const d1 = a[oa + j + 1] - b[ob + j + 1]
    const d2 = a[oa + j + 2] - b[ob + j + 2]
    const d3 = a[oa + j + 3] - b[ob + j + 3]
    s0 += d0 * d0
    s1 += d1 * d1
    s2 += d2 * d2
    s3 += d3 * d3
  }
  for (; j < dim; j++) {
    const d0 = a[oa + j] - b[ob + j]
    s0 += d0 * d0
  }
  return s0 + s1 + s2 + s3
}

/** The k nearest neighbours of rows rowStart…rowEnd − 1 among all n rows. */
export async function searchRows(
  job: SearchJob,
  rowStart: number,
  rowEnd: number,
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void,
): Promise<RowNeighbours> {
  const found = await rankRows(job, rowStart, rowEnd, signal, onProgress)
  return exactReRank(job, rowStart, rowEnd, found, signal)
}

/**
 * The `keep` nearest rows of each row by squared distance in `space`, as (rowEnd − rowStart)×keep
 * indices, nearest first; the row itself is always among them.
 */
async function rankRows(
  job: SearchJob,
  rowStart: number,
  rowEnd: number,
  signal: AbortSignal | undefined,
  onProgress: ((fraction: number) => void) | undefined,
): Promise<Int32Array> {
  const { space, spaceDim: dim, n, keep } = job
  const squares = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    let sum = 0
    for (let j = i * dim; j < (i + 1) * dim; j++) sum += space[j] * space[j]
    squares[i] = sum
  }
  const count = rowEnd - rowStart
  // per row, the best `keep` so far, sorted; scores are ‖b‖² − 2a·b, which order like ‖a − b‖²
  const scores = new Float32Array(count * keep).fill(Infinity)
  const found = new Int32Array(count * keep).fill(-1)
  const worst = new Float32Array(count).fill(Infinity)
  await dotTiles(space, n, dim, rowStart, rowEnd, signal, (start, rows, colStart, cols, dots) => {
    keepBest(dots, rowStart, start, rows, colStart, cols, squares, keep, scores, found, worst)
    onProgress?.((start + rows - rowStart) / count)
  })
  for (let r = 0; r < count; r++) {
    // rounding can push the row itself out of a crowd of duplicates: put it back
    const row = found.subarray(r * keep, (r + 1) * keep)
    if (!row.includes(rowStart + r)) row[keep - 1] = rowStart + r
  }
  return found
}

/** Merges one tile of dot products into each row's sorted list of its best `keep` (row i at i − first). */
function keepBest(
  dots: Float32Array,
  first: number,
  rowStart: number,
  rows: number,
  colStart: number,
  cols: number,
  squares: Float32Array,
  keep: number,
  scores: Float32Array,
  found: Int32Array,
  worst: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const i = rowStart + r - first
    const base = i * keep
    let limit = worst[i]
    const o = r * cols
    for (let c = 0; c < cols; c++) {
      const score = squares[colStart + c] - 2 * dots[o + c]
      if (score >= limit) continue
      let p = keep - 1
      while (p > 0 && scores[base + p - 1] > score) {
        scores[base + p] = scores[base + p - 1]
        found[base + p] = found[base + p - 1]
        p--
      }
      scores[base + p] = score
      found[base + p] = colStart + c
      limit = scores[base + keep - 1]
    }
    worst[i] = limit
  }
}

/**
 * Visits all dot products of the rows of `space`, tile by tile (row-major rows×cols). Tiles of
 * 4,096 columns keep the right-hand block in cache: all 20,000² products at d = 64 took 2.6 s
 * of CPU in 400×20,000 blocks, 1.7 s in 1,024×4,096 tiles.
 */
async function dotTiles(
  space: Float32Array,
  n: number,
  dim: number,
  rowStart: number,
  rowEnd: number,
  signal: AbortSignal | undefined,
  visit: (
    rowStart: number,
    rows: number,
    colStart: number,
    cols: number,
    dots: Float32Array,
  ) => void,
): Promise<void> {
  const tileCols = 4096
  const tileRows = 1024
  const all = tf.tensor2d(space, [n, dim])
  const columns: tf.Tensor2D[] = []
  try {
    for (let c = 0; c < n; c += tileCols)
      columns.push(
        tf.tidy(() => tf.transpose(tf.slice(all, [c, 0], [Math.min(tileCols, n - c), dim]))),
      )
    for (let start = rowStart; start < rowEnd; start += tileRows) {
      const rows = Math.min(tileRows, rowEnd - start)
      const left = tf.slice(all, [start, 0], [rows, dim])
      try {
        for (const [t, right] of columns.entries()) {
          const tile = tf.matMul(left, right)
          // read without blocking: WebGPU has no synchronous read in Node
          const dots = (await tile.data().finally(() => tile.dispose())) as Float32Array
          visit(start, rows, t * tileCols, right.shape[1], dots)
        }
      } finally {
        left.dispose()
      }
      await yieldToEventLoop(signal)
    }
  } finally {
    all.dispose()
    for (const right of columns) right.dispose()
  }
}

/** Sorts each row's candidates by their exact distance and keeps the nearest k, self first. */
async function exactReRank(
  job: SearchJob,
  rowStart: number,
  rowEnd: number,
  found: Int32Array,
  signal: AbortSignal | undefined,
): Promise<{ indices: Int32Array; distances: Float32Array }> {
  const { rows, dim, keep, k, metric } = job
  const count = rowEnd - rowStart
  const indices = new Int32Array(count * k)
  const distances = new Float32Array(count * k)
  const order = new Int32Array(k)
  const exact = new Float64Array(k)
  const others = k - 1
  for (let r = 0; r < count; r++) {
    if (r % 4096 === 4095) await yieldToEventLoop(signal)
    const i = rowStart + r
    let size = 0
    for (let c = 0; c < keep && others > 0; c++) {
      const j = found[r * keep + c]
      if (j === i || j < 0) continue
      const d = squaredDistance(rows, i, rows, j, dim)
      if (size === others && d >= exact[others - 1]) continue
      let p = size < others ? size++ : others - 1
      while (p > 0 && (exact[p - 1] > d || (exact[p - 1] === d && order[p - 1] > j))) {
        exact[p] = exact[p - 1]
        order[p] = order[p - 1]
        p--
      }
      exact[p] = d
      order[p] = j
    }
    indices[r * k] = i
    distances[r * k] = 0
    for (let c = 1; c < k; c++) {
      indices[r * k + c] = c - 1 < size ? order[c - 1] : i
      const d = c - 1 < size ? exact[c - 1] : 0
      distances[r * k + c] = metric === 'cosine' ? d / 2 : Math.sqrt(d)
    }
  }
  return { indices, distances }
}
