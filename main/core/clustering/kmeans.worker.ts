// Runs k-means restarts off the main thread. It stays alive between jobs (kmeans.ts keeps idle
// workers), takes the next restart from a counter shared with the other workers, so one that
// drew short restarts does not sit idle while another runs long ones, and posts back the best
// it ran, its arrays transferred rather than copied.
import { parentPort } from 'node:worker_threads'
import {
  kmeansRunSync,
  restartDistances,
  type KMeansRunResult,
  type RunSettings,
} from './kmeans-run'

export interface KMeansJob {
  /** the rows, on a SharedArrayBuffer so every worker reads the one copy */
  data: Float32Array
  n: number
  dim: number
  settings: Omit<RunSettings, 'seed'>
  restarts: { restart: number; seed: number }[]
  /** Int32Array(1) on a SharedArrayBuffer: the next restart to take */
  next: Int32Array
}

export type KMeansWorkerMessage =
  | { type: 'restart'; restart: number }
  | { type: 'done'; best: { restart: number; result: KMeansRunResult } | null }

parentPort!.on('message', ({ data, n, dim, settings, restarts, next }: KMeansJob) => {
  let best: { restart: number; result: KMeansRunResult } | null = null
  let kernel: ReturnType<typeof restartDistances> | undefined
  for (;;) {
    const taken = Atomics.add(next, 0, 1)
    if (taken >= restarts.length) break
    const { restart, seed } = restarts[taken]
    kernel ??= restartDistances(data, n, dim, settings.k)
    const result = kmeansRunSync(data, n, dim, { ...settings, seed }, kernel)
    if (!best || result.inertia < best.result.inertia) best = { restart, result }
    parentPort!.postMessage({ type: 'restart', restart } satisfies KMeansWorkerMessage)
  }
  const transfer = best
    ? [best.result.centroids, best.result.assignments, best.result.distances].map(
        (array) => array.buffer as ArrayBuffer,
      )
    : []
  parentPort!.postMessage({ type: 'done', best } satisfies KMeansWorkerMessage, transfer)
})
