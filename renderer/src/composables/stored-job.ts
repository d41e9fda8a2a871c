// A job the core runs in a process of its own and stores when it is done (a projection, a
// clustering): start it, follow its progress and status events, fetch the stored result, or
// cancel it. The Latent, Compare and Clusters views all follow their jobs through this one
// (use-stored-job.ts gives it the app's transport and stops it with the component).
import { ref } from 'vue'
import type { EventName, Events, MethodName, ParamsOf, ResultOf } from '../../../main/core/contract'

/** The two halves of the transport a job needs (renderer/src/api.ts in the app). */
export interface JobTransport {
  call: <M extends MethodName>(method: M, params: ParamsOf<M>) => Promise<ResultOf<M>>
  on: <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => () => void
}

const domains = {
  projection: { get: 'projections.get', cancel: 'projections.cancel' },
  clustering: { get: 'clusterings.get', cancel: 'clusterings.cancel' },
} as const

export type StoredJobKind = keyof typeof domains
type ResultOfKind<K extends StoredJobKind> = ResultOf<(typeof domains)[K]['get']>
type ProgressOf<K extends StoredJobKind> = Events[`${K}:progress`]

/** What a start returns: the stored row, already complete when the same job was done before. */
interface Started {
  id: number
  status: 'running' | 'completed' | 'failed' | 'cancelled'
  error: string | null
}

export interface FollowedJob {
  id: number
  /** what the view calls it while it runs ("sweep over k = 2…15") */
  label: string
  /** the job's phase where it tells one ('neighbors', 'layout'…), else 'running' */
  phase: string
  /** 0–1 */
  fraction: number
}

export interface StoredJobOptions<K extends StoredJobKind> {
  /** the stored result of a completed job, fetched */
  onResult: (result: ResultOfKind<K>) => void | Promise<void>
  /** a job that failed (with its reason) or was cancelled; also when its result cannot be read */
  onEnd?: (end: { status: 'failed' | 'cancelled'; error: string | null }) => void | Promise<void>
  /** each progress event of the followed job, after `job` took its phase and fraction */
  onProgress?: (progress: ProgressOf<K>) => void
}

export function storedJob<K extends StoredJobKind>(
  kind: K,
  transport: JobTransport,
  options: StoredJobOptions<K>,
) {
  const { call, on } = transport
  const { get, cancel: cancelMethod } = domains[kind]
  /** the job being followed, while it runs */
  const job = ref<FollowedJob | null>(null)

  async function finish(id: number): Promise<void> {
    let result: ResultOfKind<K>
    try {
      result = (await call(get, { id })) as ResultOfKind<K>
    } catch (caught) {
      job.value = null
      await options.onEnd?.({
        status: 'failed',
        error: caught instanceof Error ? caught.message : String(caught),
      })
      return
    }
    job.value = null
    await options.onResult(result)
  }

  /**
   * Starts a job with `begin` (its errors are the caller's) and follows it; one started earlier
   * and no longer followed is left to run, its events ignored.
   */
  async function start(begin: () => Promise<Started>, label = ''): Promise<void> {
    const started = await begin()
    if (started.status === 'completed') await finish(started.id)
    else if (started.status === 'running')
      job.value = { id: started.id, label, phase: 'loading', fraction: 0 }
    else {
      job.value = null
      await options.onEnd?.({ status: started.status, error: started.error })
    }
  }

  async function cancel(): Promise<void> {
    if (job.value) await call(cancelMethod, { id: job.value.id })
  }

  const stopProgress = on(`${kind}:progress`, (payload) => {
    const progress = payload as ProgressOf<K>
    if (progress.id !== job.value?.id) return
    const phase = 'phase' in progress ? progress.phase : 'running'
    job.value = { ...job.value, phase, fraction: progress.fraction }
    options.onProgress?.(progress)
  })
  const stopStatus = on(`${kind}:status`, (status) => {
    if (status.id !== job.value?.id || status.status === 'running') return
    if (status.status === 'completed') void finish(status.id)
    else {
      job.value = null
      void options.onEnd?.({ status: status.status, error: status.error ?? null })
    }
  })
  /** Stops listening (the component is gone); the job itself runs on. */
  function stop(): void {
    stopProgress()
    stopStatus()
  }

  return { job, start, cancel, stop }
}
