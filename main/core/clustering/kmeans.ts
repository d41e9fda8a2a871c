// k-means on latent codes (docs/analysis.md, "Clustering"): k-means++ seeding, nInit restarts, the
// lowest inertia kept. Restarts run in worker threads when the data is big enough to pay for
// starting them; restart r always uses the same seed, so the result does not depend on how many
// threads ran it.
import { availableParallelism } from 'node:os'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { workerEntry, type WorkerEntry } from '../worker-entry'
import { stepSeed } from '../shared/random'
import { kmeansRun, type KMeansRunResult } from './kmeans-run'
import { restartDistances } from './kmeans-seed'
import type { KMeansProtocol } from './kmeans.worker'
import { RpcWorker } from '../jobs/worker-rpc'

export { assign, kmeansRunSync } from './kmeans-run'
export { kmeansPlusPlus } from './kmeans-seed'

export interface KMeansOptions {
  k: number
  /** restarts from different k-means++ seedings; the lowest inertia wins (sklearn's n_init) */
  nInit?: number
  maxIter?: number
  /** relative to the mean feature variance, as sklearn's tol */
  tol?: number
  seed?: number
  /** worker threads for the restarts; by default one per core when the data is large, else none */
  threads?: number
  signal?: AbortSignal
  /** fraction of restarts done, 0…1 */
  onProgress?: (fraction: number) => void
}

export interface KMeansResult extends KMeansRunResult {
  /** which restart won */
  restart: number
}

// Below this many distance evaluations per restart (n·k·dim) a worker's start-up (40–50 ms built,
// 200–350 ms through tsx, measured) costs more than it saves. Above it, two workers took 10
// restarts on 70,000 × 32 from 2.64 s to 1.58 s (load average 2.7 on the 2 cores).
const workerWorth = 5_000_000

/** The seed of restart r: fixed by (seed, r) alone. */
export function restartSeed(seed: number, restart: number): number {
  return stepSeed(seed, restart, 0)
}

/** sklearn's absolute tolerance: tol × the mean over features of their variance. */
export function absoluteTolerance(data: Float32Array, n: number, dim: number, tol: number): number {
  const mean = new Float64Array(dim)
  const square = new Float64Array(dim)
  for (let i = 0; i < n; i++)
    for (let d = 0; d < dim; d++) {
      const v = data[i * dim + d]
      mean[d] += v
      square[d] += v * v
    }
  let variance = 0
  for (let d = 0; d < dim; d++) {
    const m = mean[d] / n
    variance += Math.max(0, square[d] / n - m * m)
  }
  return (variance / dim) * tol
}

export async function kmeans(
  data: Float32Array,
  n: number,
  dim: number,
  options: KMeansOptions,
): Promise<KMeansResult> {
  const { k, nInit = 10, maxIter = 300, tol = 1e-4, seed = 0, signal, onProgress } = options
  if (data.length !== n * dim) throw new Error(`expected ${n}×${dim} values, got ${data.length}`)
  if (!(k >= 1 && k <= n)) throw new Error(`k must be between 1 and the number of rows (${n})`)
  signal?.throwIfAborted()
  const settings = { k, maxIter, tolerance: absoluteTolerance(data, n, dim, tol) }
  const restarts = Array.from({ length: nInit }, (_, r) => ({
    restart: r,
    seed: restartSeed(seed, r),
  }))
  const entry = workerEntry('kmeans', import.meta.dirname)
  const threads = Math.min(
    nInit,
    options.threads ??
      (entry && n * k * dim >= workerWorth ? Math.min(availableParallelism(), 8) : 1),
  )
  if (threads > 1 && entry)
    try {
      return await inWorkers(data, n, dim, settings, restarts, threads, entry, signal, onProgress)
    } catch (error) {
      // a worker that cannot start (say, from inside a packaged archive) only costs time
      if (signal?.aborted) throw error
    }

  let best: KMeansResult | null = null
  const kernel = restartDistances(data, n, dim, k)
  for (const { restart, seed } of restarts) {
    const run = kmeansRun(data, n, dim, { ...settings, seed }, kernel)
    let step = run.next()
    while (!step.done) {
      // let abort and progress through between iterations
      await nextTurn()
      signal?.throwIfAborted()
      step = run.next()
    }
    if (!best || step.value.inertia < best.inertia) best = { ...step.value, restart }
    onProgress?.((restart + 1) / nInit)
  }
  return best!
}

// Idle workers, kept between calls so that repeated runs (a sweep over k, DCN's rounds) pay
// their start-up once; they never keep the process alive while idle.
const idle: RpcWorker<KMeansProtocol>[] = []

function takeWorker(entry: WorkerEntry): RpcWorker<KMeansProtocol> {
  let worker = idle.pop()
  while (worker && !worker.usable) worker = idle.pop()
  worker ??= new RpcWorker<KMeansProtocol>(entry, 'a k-means worker')
  worker.keepProcessAlive(true)
  return worker
}

function returnWorker(worker: RpcWorker<KMeansProtocol>): void {
  worker.keepProcessAlive(false)
  idle.push(worker)
}

type Job = KMeansProtocol['request']

async function inWorkers(
  data: Float32Array,
  n: number,
  dim: number,
  settings: Job['settings'],
  restarts: Job['restarts'],
  threads: number,
  entry: WorkerEntry,
  signal: AbortSignal | undefined,
  onProgress: ((fraction: number) => void) | undefined,
): Promise<KMeansResult> {
  const shared =
    data.buffer instanceof SharedArrayBuffer
      ? data
      : new Float32Array(new SharedArrayBuffer(data.byteLength))
  if (shared !== data) shared.set(data)
  const job: Job = {
    data: shared,
    n,
    dim,
    settings,
    restarts,
    next: new Int32Array(new SharedArrayBuffer(4)),
  }
  const workers = Array.from({ length: threads }, () => takeWorker(entry))
  let done = 0
  let stopped = false
  let answers: KMeansProtocol['response'][]
  try {
    answers = await Promise.all(
      workers.map((worker) =>
        worker.invoke(job, {
          signal,
          onNote: () => {
            if (!stopped) onProgress?.(++done / restarts.length)
          },
        }),
      ),
    )
  } catch (error) {
    stopped = true
    // a worker stopped mid-job cannot be reused
    for (const worker of workers) void worker.terminate()
    throw error
  }
  workers.forEach(returnWorker)
  let best: KMeansResult | null = null
  for (const candidate of answers)
    // ties go to the lower restart, so the winner does not depend on the threads
    if (
      candidate &&
      (!best ||
        candidate.result.inertia < best.inertia ||
        (candidate.result.inertia === best.inertia && candidate.restart < best.restart))
    )
      best = { ...candidate.result, restart: candidate.restart }
  if (!best) throw new Error('the k-means workers returned no result')
  return best
}
