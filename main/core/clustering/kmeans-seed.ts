// Greedy k-means++ seeding for one k-means restart (kmeans-run.ts), as sklearn does it, and the
// distance kernel a restart reuses (kmeans-distances.ts). Shared by the main thread and
// kmeans.worker.ts, so it imports nothing from node.
import { rowDistances, type RowDistances } from './kmeans-distances'

/** Squared distance between row `i` of `data` and row `j` of `centroids`, exactly, in f64. */
export function squaredDistance(
  data: Float32Array,
  i: number,
  centroids: Float64Array,
  j: number,
  dim: number,
): number {
  let sum = 0
  const a = i * dim
  const b = j * dim
  for (let d = 0; d < dim; d++) {
    const diff = data[a + d] - centroids[b + d]
    sum += diff * diff
  }
  return sum
}

/**
 * Greedy k-means++ as sklearn does it: each new centroid is the best (lowest potential) of
 * 2 + ⌊ln k⌋ candidates drawn with probability ∝ D(x)². Rows are skipped with the triangle
 * inequality when a candidate is at least twice as far from their closest centroid as they are.
 */
export function kmeansPlusPlus(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  random: () => number,
): Float32Array {
  const distances = restartDistances(data, n, dim, k)
  return Float32Array.from(seedCentroids(data, n, dim, k, random, distances).centroids)
}

/**
 * The distance kernel for restarts on these rows (it holds a copy of them): made once and handed
 * to one restart after another, it saves the copy per restart.
 */
export function restartDistances(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
): RowDistances {
  return rowDistances(data, n, dim, slots(k))
}

/** Centroid slots a restart needs: k centroids, or the seeding's trial candidates. */
function slots(k: number): number {
  return Math.max(k, trials(k))
}

/** sklearn's number of candidates per new centroid in greedy k-means++. */
function trials(k: number): number {
  return 2 + Math.floor(Math.log(k))
}

/** k-means++ centroids, and (a by-product) every row's nearest one and squared distance to it. */
export function seedCentroids(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  random: () => number,
  distances: RowDistances,
): { centroids: Float64Array; nearest: Int32Array; closest: Float64Array } {
  if (k > n) throw new Error(`k-means needs at least k = ${k} rows, got ${n}`)
  const centroids = new Float64Array(k * dim)
  const count = trials(k)
  const { out } = distances
  const closest = new Float64Array(n)
  const nearest = new Int32Array(n)
  const cumulative = new Float64Array(n)
  // each trial's D² of every row, had its candidate been added
  const candidate = new Float64Array(count * n)
  const rows = new Int32Array(count)
  const potentials = new Float64Array(count)
  // per chosen centroid, the least squared distance from it to a candidate, for the triangle test
  const gaps = new Float64Array(k)

  const first = Math.floor(random() * n)
  centroids.set(data.subarray(first * dim, first * dim + dim), 0)
  distances.setCentre(0, data, first * dim)
  for (let i = 0; i < n; i++) {
    distances.compute(i, 0, 1)
    closest[i] = out[0]
  }
  for (let c = 1; c < k; c++) {
    let running = 0
    for (let i = 0; i < n; i++) cumulative[i] = running += closest[i]
    for (let t = 0; t < count; t++) {
      rows[t] = searchSorted(cumulative, random() * running)
      distances.setCentre(t, data, rows[t] * dim)
    }
    for (let j = 0; j < c; j++) {
      gaps[j] = Infinity
      for (let t = 0; t < count; t++)
        gaps[j] = Math.min(gaps[j], squaredDistance(data, rows[t], centroids, j, dim))
    }
    potentials.fill(0)
    for (let i = 0; i < n; i++) {
      const value = closest[i]
      const own = nearest[i]
      // ‖x − cand‖ ≥ ‖cand − c‖ − ‖x − c‖ ≥ ‖x − c‖ when ‖cand − c‖ ≥ 2‖x − c‖: then the row
      // keeps its closest centroid whichever candidate wins
      const reachable = gaps[own] < 4 * value
      // all candidates at once: one call, and the row read once
      if (reachable) distances.compute(i, 0, count)
      for (let t = 0; t < count; t++) {
        const trial = reachable && out[t] < value ? out[t] : value
        candidate[t * n + i] = trial
        potentials[t] += trial
      }
    }
    let best = 0
    for (let t = 1; t < count; t++) if (potentials[t] < potentials[best]) best = t
    centroids.set(data.subarray(rows[best] * dim, rows[best] * dim + dim), c * dim)
    for (let i = 0; i < n; i++) {
      const value = candidate[best * n + i]
      if (value < closest[i]) {
        closest[i] = value
        nearest[i] = c
      }
    }
  }
  return { centroids, nearest, closest }
}

/** The first index whose cumulative sum exceeds `value` (numpy searchsorted), clipped to the end. */
function searchSorted(cumulative: Float64Array, value: number): number {
  let low = 0
  let high = cumulative.length - 1
  while (low < high) {
    const mid = (low + high) >>> 1
    if (cumulative[mid] <= value) low = mid + 1
    else high = mid
  }
  return low
}
