// One k-means restart: greedy k-means++ seeding (kmeans-seed.ts), then Lloyd's iterations with
// Hamerly's bounds (G. Hamerly, "Making k-means even faster", SDM 2010). The bounds give the same
// assignments as plain Lloyd but skip most distance computations once the centroids settle. Shared by the
// main thread and kmeans.worker.ts, so it imports nothing from node.
// Measured (CPU seconds, 10 restarts on Fashion-MNIST PCA-32, 70,000 × 32, k = 10): Hamerly
// 2.9–3.2 against Elkan's k bounds a row 3.7–4.7 (and 3.1 against 3.2–3.4 on 10,000 raw 784-pixel
// rows), so Hamerly; early-exit distance sums then took it to 2.4–2.6 (2.2–2.4 on a later day,
// 0.5–0.6 of it the seeding). Those sums then gave way to kmeans-distances.ts: all the distances
// a row needs in one WebAssembly SIMD call (all k centroids, or all the seeding's candidates,
// which also reads each row once per new centroid rather than once per candidate): 1.55–1.6
// against 2.4–2.6 for the code before, in the same runs (load 4–5 on the 2 cores); moving the
// bounds inside the assignment pass instead of in a pass of their own took it to 1.45–1.55.
// Trying the last runner-up centroid first, so that the early-exit sums stop sooner, gained
// nothing (2.0–2.1 either way).
import { seededRandom } from '../shared/random'
import type { RowDistances } from './kmeans-distances'
import { restartDistances, seedCentroids, squaredDistance } from './kmeans-seed'

export interface KMeansRunResult {
  centroids: Float32Array
  assignments: Int32Array
  /** Euclidean distance of each row to its own centroid */
  distances: Float32Array
  /** sum of squared distances to the own centroid */
  inertia: number
  iterations: number
}

export interface RunSettings {
  k: number
  maxIter: number
  /** absolute tolerance on the summed squared centroid shift (sklearn: tol × mean feature variance) */
  tolerance: number
  seed: number
}

/** The nearest centroid of every row, and the Euclidean distance to it. */
export function assign(
  data: Float32Array,
  n: number,
  dim: number,
  centroids: Float32Array | Float64Array,
): { assignments: Int32Array; distances: Float32Array; inertia: number } {
  const k = centroids.length / dim
  const centres = Float64Array.from(centroids)
  const assignments = new Int32Array(n)
  const distances = new Float32Array(n)
  let inertia = 0
  for (let i = 0; i < n; i++) {
    let bestJ = 0
    let bestD = Infinity
    for (let j = 0; j < k; j++) {
      const d = squaredDistance(data, i, centres, j, dim)
      if (d < bestD) {
        bestD = d
        bestJ = j
      }
    }
    assignments[i] = bestJ
    distances[i] = Math.sqrt(bestD)
    inertia += bestD
  }
  return { assignments, distances, inertia }
}

/** Hamerly's state: per row an upper bound on the distance to its centroid and a lower bound on the second nearest. */
class Hamerly {
  readonly assignments: Int32Array
  readonly upper: Float64Array
  readonly lower: Float64Array
  readonly sums: Float64Array
  readonly counts: Float64Array
  readonly half: Float64Array
  /** how far each centroid moved last, which pass() adds to its rows' upper bounds */
  readonly shift: Float64Array
  /** the most any other centroid moved, which pass() takes from its rows' lower bounds */
  readonly slack: Float64Array

  constructor(
    readonly data: Float32Array,
    readonly n: number,
    readonly dim: number,
    readonly k: number,
    readonly distances: RowDistances,
  ) {
    this.assignments = new Int32Array(n)
    this.upper = new Float64Array(n).fill(Infinity)
    this.lower = new Float64Array(n)
    this.sums = new Float64Array(k * dim)
    this.counts = new Float64Array(k)
    this.half = new Float64Array(k)
    this.shift = new Float64Array(k)
    this.slack = new Float64Array(k)
  }

  /** Starts from the seeding's exact nearest centroids; lower bounds start at 0 (unknown). */
  start(nearest: Int32Array, closest: Float64Array): void {
    const { data, n, dim, assignments, upper, sums, counts } = this
    for (let i = 0; i < n; i++) {
      const own = nearest[i]
      assignments[i] = own
      upper[i] = Math.sqrt(closest[i])
      counts[own]++
      for (let d = 0; d < dim; d++) sums[own * dim + d] += data[i * dim + d]
    }
  }

  /** Every row's exact nearest centroid (its bounds say when a row can be skipped); returns how many moved. */
  pass(centroids: Float64Array): number {
    const { data, n, dim, k, assignments, upper, lower, sums, counts, half, distances } = this
    const { shift, slack } = this
    const { out } = distances
    for (let j = 0; j < k; j++) {
      let min = Infinity
      for (let m = 0; m < k; m++)
        if (m !== j) {
          let sum = 0
          for (let d = 0; d < dim; d++) {
            const diff = centroids[j * dim + d] - centroids[m * dim + d]
            sum += diff * diff
          }
          if (sum < min) min = sum
        }
      half[j] = Math.sqrt(min) / 2
    }
    let moved = 0
    for (let i = 0; i < n; i++) {
      const own = assignments[i]
      // the bounds follow the last move of the centroids here, not in a pass of their own
      const up = (upper[i] += shift[own])
      const low = (lower[i] -= slack[own])
      const bound = half[own] > low ? half[own] : low
      if (up <= bound) continue
      distances.compute(i, own, 1)
      const tight = Math.sqrt(out[0])
      upper[i] = tight
      if (tight <= bound) continue
      distances.compute(i, 0, k)
      let bestJ = own
      let bestD = out[own]
      let secondD = Infinity
      for (let j = 0; j < k; j++) {
        if (j === own) continue
        const sum = out[j]
        if (sum < bestD) {
          secondD = bestD
          bestD = sum
          bestJ = j
        } else if (sum < secondD) secondD = sum
      }
      upper[i] = Math.sqrt(bestD)
      lower[i] = Math.sqrt(secondD)
      if (bestJ !== own) {
        const a = i * dim
        counts[own]--
        for (let d = 0; d < dim; d++) sums[own * dim + d] -= data[a + d]
        moved++
        counts[bestJ]++
        for (let d = 0; d < dim; d++) sums[bestJ * dim + d] += data[a + d]
        assignments[i] = bestJ
      }
    }
    return moved
  }

  /**
   * New centroids from the running sums, rounded to f32 as the distance kernel reads them; notes
   * how far each moved, for pass() to move the bounds by. Returns Σ shift².
   */
  move(centroids: Float64Array): number {
    const { dim, k, sums, counts, distances, shift, slack } = this
    this.refillEmpty(centroids)
    let total = 0
    for (let j = 0; j < k; j++) {
      let sum = 0
      for (let d = 0; d < dim; d++) {
        const value = Math.fround(sums[j * dim + d] / counts[j])
        const diff = value - centroids[j * dim + d]
        sum += diff * diff
        centroids[j * dim + d] = value
      }
      distances.setCentre(j, centroids, j * dim)
      shift[j] = Math.sqrt(sum)
      total += sum
    }
    let first = 0
    for (let j = 1; j < k; j++) if (shift[j] > shift[first]) first = j
    let second = k === 1 || first !== 0 ? 0 : 1
    for (let j = 0; j < k; j++) if (j !== first && shift[j] > shift[second]) second = j
    for (let j = 0; j < k; j++) slack[j] = j === first ? shift[second] : shift[first]
    return total
  }

  /** As sklearn does: an empty cluster takes the row farthest from its own centroid. */
  private refillEmpty(centroids: Float64Array): void {
    const { data, n, dim, k, assignments, upper, lower, sums, counts } = this
    if (counts.every((count) => count > 0)) return
    const far = new Float64Array(n)
    for (let i = 0; i < n; i++) far[i] = squaredDistance(data, i, centroids, assignments[i], dim)
    for (let j = 0; j < k; j++) {
      if (counts[j] > 0) continue
      let row = -1
      for (let i = 0; i < n; i++)
        if (counts[assignments[i]] > 1 && (row < 0 || far[i] > far[row])) row = i
      if (row < 0) continue
      const from = assignments[row]
      counts[from]--
      counts[j]++
      for (let d = 0; d < dim; d++) {
        sums[from * dim + d] -= data[row * dim + d]
        sums[j * dim + d] += data[row * dim + d]
      }
      assignments[row] = j
      far[row] = 0
    }
    // the bounds no longer hold for the moved rows: make every row check its distances again
    upper.fill(Infinity)
    lower.fill(0)
  }
}

/**
 * One restart, as a generator that yields after every iteration so a caller on the main thread
 * can let its event loop run (progress, abort) between them. Stops like sklearn's Lloyd: when no
 * row changes cluster, or when Σ‖c_new − c_old‖² ≤ tolerance.
 */
export function* kmeansRun(
  data: Float32Array,
  n: number,
  dim: number,
  settings: RunSettings,
  kernel: RowDistances = restartDistances(data, n, dim, settings.k),
): Generator<number, KMeansRunResult, void> {
  const { k, maxIter, tolerance, seed } = settings
  const random = seededRandom(seed)
  const { centroids, nearest, closest } = seedCentroids(data, n, dim, k, random, kernel)
  const state = new Hamerly(data, n, dim, k, kernel)
  state.start(nearest, closest)
  let iterations = 0
  while (iterations < maxIter) {
    iterations++
    const shift = state.move(centroids)
    const moved = state.pass(centroids)
    if (moved === 0 || shift <= tolerance) break
    yield iterations
  }
  const distances = new Float32Array(n)
  let inertia = 0
  for (let i = 0; i < n; i++) {
    const d = squaredDistance(data, i, centroids, state.assignments[i], dim)
    distances[i] = Math.sqrt(d)
    inertia += d
  }
  return {
    centroids: Float32Array.from(centroids),
    assignments: state.assignments,
    distances,
    inertia,
    iterations,
  }
}

/** Runs a restart to the end without yielding (inside a worker, or for small data). */
export function kmeansRunSync(
  data: Float32Array,
  n: number,
  dim: number,
  settings: RunSettings,
  kernel?: RowDistances,
): KMeansRunResult {
  const run = kmeansRun(data, n, dim, settings, kernel)
  for (;;) {
    const step = run.next()
    if (step.done) return step.value
  }
}
