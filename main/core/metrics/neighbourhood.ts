// Neighbourhood metrics (docs/analysis.md, "Projection quality"): how well a layout keeps the data's neighbourhoods (trustworthiness) and
// how well each row's neighbours predict its label (kNN accuracy, leave-one-out), each computed
// on a seeded sample of rows. Distances come from a Gram matrix in tfjs (projection/knn.ts).
import { dotBlocks, nearestNeighbours } from '../projection/knn'
import { seededRandom } from '../shared/random'
import { sampleRows } from './sample'

export interface SampleOptions {
  /** rows to compute on; all of them when n is smaller */
  sample?: number
  seed?: number
}

function gather(data: Float32Array, dim: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * dim)
  rows.forEach((row, r) => out.set(data.subarray(row * dim, (row + 1) * dim), r * dim))
  return out
}

function squaredNorms(data: Float32Array, n: number, dim: number): Float64Array {
  const norms = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let sum = 0
    for (let j = i * dim; j < (i + 1) * dim; j++) sum += data[j] * data[j]
    norms[i] = sum
  }
  return norms
}

/** Visits each row's squared euclidean distances to every row (itself included, ≈ 0). */
async function distanceRows(
  data: Float32Array,
  n: number,
  dim: number,
  visit: (row: number, distances: Float64Array) => void,
): Promise<void> {
  const norms = squaredNorms(data, n, dim)
  const row = new Float64Array(n)
  await dotBlocks(data, n, data, n, dim, (start, count, dots) => {
    for (let r = 0; r < count; r++) {
      const i = start + r
      for (let j = 0; j < n; j++) row[j] = Math.max(0, norms[i] + norms[j] - 2 * dots[r * n + j])
      visit(i, row)
    }
  })
}

/**
 * Trustworthiness (Venna & Kaski 2001; sklearn.manifold.trustworthiness): 1 − 2/(n·k·(2n − 3k − 1))
 * · Σᵢ Σ_{j ∈ Uᵢ} (r(i, j) − k), where Uᵢ are i's k nearest in the layout that are not among its
 * k nearest in the data, and r(i, j) is j's rank by distance from i in the data (nearest = 1).
 */
export async function trustworthiness(
  high: Float32Array,
  dimHigh: number,
  low: Float32Array,
  dimLow: number,
  n: number,
  options: SampleOptions & { k?: number } = {},
): Promise<number> {
  const { k = 10, sample = 5000, seed = 0 } = options
  const rows = sampleRows(n, sample, seededRandom(seed))
  const size = rows.length
  if (size < 3 * k + 2)
    throw new Error(`trustworthiness with k = ${k} needs over ${3 * k + 1} rows`)
  const lowNeighbours = await nearestNeighbours(gather(low, dimLow, rows), size, dimLow, k + 1, {
    reducedDims: Infinity,
  })
  let penalty = 0
  const thresholds = new Float64Array(k)
  await distanceRows(gather(high, dimHigh, rows), size, dimHigh, (i, distances) => {
    for (let c = 0; c < k; c++)
      thresholds[c] = distances[lowNeighbours.indices[i * (k + 1) + c + 1]]
    thresholds.sort()
    // closer[c]: others nearer than threshold c but not than c − 1; running sums count them all
    const closer = new Int32Array(k)
    for (let m = 0; m < size; m++) {
      if (m === i) continue
      const d = distances[m]
      if (d >= thresholds[k - 1]) continue
      let lo = 0
      while (lo < k && thresholds[lo] <= d) lo++
      closer[lo]++
    }
    let rank = 0
    for (let c = 0; c < k; c++) {
      rank += closer[c]
      // r = 1 + (others strictly nearer)
      if (rank + 1 > k) penalty += rank + 1 - k
    }
  })
  return 1 - (2 / (size * k * (2 * size - 3 * k - 1))) * penalty
}

/**
 * kNN accuracy, leave-one-out: each sampled row's label against the vote of its k nearest other
 * sampled rows (ties: the nearer class). Not the held-out kNN accuracy of probes.ts.
 */
export async function knnLeaveOneOut(
  vectors: Float32Array,
  dim: number,
  labels: Int32Array,
  options: SampleOptions & { k?: number } = {},
): Promise<number> {
  const { k = 10, sample = 5000, seed = 0 } = options
  const rows = sampleRows(labels.length, sample, seededRandom(seed))
  const size = rows.length
  const kk = Math.min(k, size - 1)
  const graph = await nearestNeighbours(gather(vectors, dim, rows), size, dim, kk + 1, {
    reducedDims: Infinity,
  })
  let right = 0
  const votes = new Map<number, number>()
  for (let i = 0; i < size; i++) {
    votes.clear()
    let best = -1
    let bestVotes = 0
    for (let c = 1; c <= kk; c++) {
      const label = labels[rows[graph.indices[i * (kk + 1) + c]]]
      const count = (votes.get(label) ?? 0) + 1
      votes.set(label, count)
      // strictly more wins, so among equal counts the class reached first (nearer) stays
      if (count > bestVotes) {
        best = label
        bestVotes = count
      }
    }
    if (best === labels[rows[i]]) right++
  }
  return right / size
}
