// Runs k-means restarts off the main thread. It stays alive between jobs (kmeans.ts keeps idle
// workers), takes the next restart from a counter shared with the other workers, so one that
// drew short restarts does not sit idle while another runs long ones, and answers with the best
// it ran, its arrays transferred rather than copied (jobs/worker-rpc.ts).
import { buffersOf, serveRequests } from '../jobs/worker-rpc'
import { kmeansRunSync, type KMeansRunResult, type RunSettings } from './kmeans-run'
import { restartDistances } from './kmeans-seed'

export interface KMeansProtocol {
  request: {
    /** the rows, on a SharedArrayBuffer so every worker reads the one copy */
    data: Float32Array
    n: number
    dim: number
    settings: Omit<RunSettings, 'seed'>
    restarts: { restart: number; seed: number }[]
    /** Int32Array(1) on a SharedArrayBuffer: the next restart to take */
    next: Int32Array
  }
  /** the best restart this worker ran, or null if the others took them all */
  response: { restart: number; result: KMeansRunResult } | null
  /** a restart is done */
  note: number
}

serveRequests<KMeansProtocol>(
  async ({ data, n, dim, settings, restarts, next }, { note }) => {
    let best: KMeansProtocol['response'] = null
    let kernel: ReturnType<typeof restartDistances> | undefined
    for (;;) {
      const taken = Atomics.add(next, 0, 1)
      if (taken >= restarts.length) break
      const { restart, seed } = restarts[taken]
      kernel ??= restartDistances(data, n, dim, settings.k)
      const result = kmeansRunSync(data, n, dim, { ...settings, seed }, kernel)
      if (!best || result.inertia < best.result.inertia) best = { restart, result }
      note(restart)
    }
    return best
  },
  (best) =>
    best ? buffersOf(best.result.centroids, best.result.assignments, best.result.distances) : [],
)
