// The N2D recipe as one function, for the clustering process and the benchmark.
import type { ClusteringParams } from '../shared/clusterings'
import { methodParams } from '../shared/clustering-methods'
import { availableParallelism } from 'node:os'
import { useBackend } from '../training/backend'
import { workerEntry, type WorkerEntry } from '../worker-entry'
import { agreement, consensus } from './consensus'
import { gaussianMixture } from './gmm'
import type { NeighbourGraph } from '../projection/knn'
import type { N2dProtocol } from './n2d.worker'
import { umapFromGraph, umapGraph, type UmapParams } from '../projection/umap'
import { RpcWorker } from '../jobs/worker-rpc'

/**
 * The N2D recipe (McConville et al., 2020): UMAP of the codes to a few dimensions with
 * n_neighbors 20 and min_dist 0, then a full-covariance Gaussian mixture there. With `runs` > 1
 * the layout and the mixture run once per seed (seed, seed+1, …) on one neighbour graph, and
 * their consensus (consensus.ts) is the answer: which UMAP clumps one run's mixture merges is
 * close to a draw, and the runs' consensus is steadier than any one of them. Distances are to
 * each row's cluster mean in the first run's layout; `members` are the runs' own clusters, and
 * `certainty` how far they back each row's answer (consensus.ts, `agreement`), each run weighted
 * by its mixture's probability of the row's component: with one run, that probability alone.
 * The runs are spread over `threads` (by default one per core), with the same answer.
 */
export async function n2d(
  codes: Float32Array,
  rows: number,
  dims: number,
  params: Pick<ClusteringParams, 'k' | 'seed' | 'runs'>,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
  options: { threads?: number } = {},
) {
  const backend = await useBackend('auto') // UMAP's neighbour search runs on tfjs
  const width = Math.min(10, dims)
  const runs = methodParams('n2d', params).runs!
  const umap: Omit<UmapParams, 'seed'> = {
    neighbors: 20,
    minDist: 0,
    dims: width,
    metric: 'euclidean',
  }
  const graph = await umapGraph(
    codes,
    rows,
    dims,
    { ...umap, seed: params.seed },
    { signal, onProgress: (_, f) => onProgress(f * 0.1) },
  )
  const settings: N2dRunSettings = {
    graph,
    codes,
    rows,
    dims,
    umap,
    k: params.k,
    seed: params.seed,
    runs,
  }
  const done = new Float64Array(runs)
  const progress = (run: number, fraction: number) => {
    done[run] = fraction
    onProgress(0.1 + (0.8 * done.reduce((sum, f) => sum + f, 0)) / runs)
  }
  const threads = Math.min(runs, options.threads ?? availableParallelism())
  const { members, confidences, first } = await allRuns(
    settings,
    threads,
    backend.name,
    signal,
    progress,
  )
  const assignments =
    runs > 1 ? await consensus(members, params.k, params.seed, signal) : members[0]
  onProgress(0.95)
  const { distances, inertia } = distancesToMeans(first, rows, width, assignments, params.k)
  const certainty = agreement(members, assignments, params.k, confidences)
  return { assignments, distances, inertia, certainty, members }
}

/** What one N2D run needs: the shared neighbour graph, the codes, and the run's settings. */
export interface N2dRunSettings {
  graph: NeighbourGraph
  codes: Float32Array
  rows: number
  dims: number
  umap: Omit<UmapParams, 'seed'>
  k: number
  /** run r uses seed + r */
  seed: number
  runs: number
}

/** Run `run`: the layout from the graph for its seed, then the mixture there. */
export async function n2dRun(
  settings: N2dRunSettings,
  run: number,
  signal: AbortSignal | undefined,
  onProgress: (fraction: number) => void,
): Promise<{ layout: Float32Array; assignments: Int32Array; confidence: Float32Array }> {
  const { graph, codes, rows, dims, umap, k } = settings
  const seed = settings.seed + run
  const layout = await umapFromGraph(
    graph,
    codes,
    rows,
    dims,
    { ...umap, seed },
    { signal, onProgress: (_, f) => onProgress(f * 0.8) },
  )
  const mixture = await gaussianMixture(layout, rows, umap.dims, {
    k,
    seed,
    signal,
    onProgress: (f) => onProgress(0.8 + f * 0.2),
  })
  // each row's probability of the component it is assigned
  const confidence = new Float32Array(rows)
  for (let i = 0; i < rows; i++)
    confidence[i] = mixture.probabilities[i * k + mixture.assignments[i]]
  return { layout, assignments: mixture.assignments, confidence }
}

/**
 * Every run, on this thread and `threads` − 1 workers, each taking the next run from one
 * counter. A run depends on its seed alone, so the answer does not depend on the threads. Runs
 * a worker could not finish (it failed to start, say) are run here.
 */
async function allRuns(
  settings: N2dRunSettings,
  threads: number,
  backend: string,
  signal: AbortSignal,
  progress: (run: number, fraction: number) => void,
): Promise<{ members: Int32Array[]; confidences: Float32Array[]; first: Float32Array }> {
  const members: (Int32Array | undefined)[] = new Array(settings.runs)
  const confidences: Float32Array[] = new Array(settings.runs)
  let first: Float32Array | undefined
  const keep: Keep = ({ run, assignments, confidence, layout }) => {
    members[run] = assignments
    confidences[run] = confidence
    if (run === 0 && layout) first = layout
  }
  const here = async (runs: Iterable<number>, stop: AbortSignal) => {
    for (const run of runs) {
      const done = await n2dRun(settings, run, stop, (f) => progress(run, f))
      keep({ run, ...done })
    }
  }
  const next = new Int32Array(new SharedArrayBuffer(4))
  const taken = function* () {
    for (;;) {
      const run = Atomics.add(next, 0, 1)
      if (run >= settings.runs) return
      yield run
    }
  }
  const entry = threads > 1 ? workerEntry('n2d', import.meta.dirname) : null
  const workers = entry ? threads - 1 : 0
  // one signal for every thread, raised by the caller or by this thread's own failure; and no
  // return before every thread has stopped, so nothing reports progress after the answer
  const stop = new AbortController()
  const forward = () => stop.abort(signal.reason)
  signal.addEventListener('abort', forward, { once: true })
  try {
    const outcomes = await Promise.allSettled([
      here(taken(), stop.signal).catch((error: unknown) => {
        stop.abort(error)
        throw error
      }),
      ...Array.from({ length: workers }, () =>
        inWorker(entry!, { ...settings, next, backend }, stop.signal, keep, progress).catch(
          (error: unknown) => {
            if (stop.signal.aborted) throw error
          },
        ),
      ),
    ])
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason
  } finally {
    signal.removeEventListener('abort', forward)
  }
  await here(
    members.flatMap((m, run) => (m ? [] : [run])),
    signal,
  )
  return { members: members as Int32Array[], confidences, first: first! }
}

/** Takes a finished run; its layout only for run 0, whose layout measures the distances. */
type Keep = (run: {
  run: number
  assignments: Int32Array
  confidence: Float32Array
  layout: Float32Array | null
}) => void

/** One worker taking runs until the counter runs out; rejects if it fails or is cancelled. */
async function inWorker(
  entry: WorkerEntry,
  request: N2dProtocol['request'],
  signal: AbortSignal,
  keep: Keep,
  progress: (run: number, fraction: number) => void,
): Promise<void> {
  const worker = new RpcWorker<N2dProtocol>(entry, 'an N2D worker')
  try {
    await worker.invoke(request, {
      signal,
      onNote: (note) => (note.type === 'progress' ? progress(note.run, note.fraction) : keep(note)),
    })
  } finally {
    void worker.terminate()
  }
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
