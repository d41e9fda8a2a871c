// A job the core runs in a process of its own and stores when it is done (a projection, a
// clustering), followed from a shell: start it, follow its progress and status events, fetch the
// stored result once it completes, or cancel it. The renderer's views (through
// renderer/src/composables/stored-job.ts) and the CLI (main/cli/tools.ts) both follow their jobs
// through this one; it needs no Vue, Node or TensorFlow, only a port to the core.

export type StoredJobStatus = 'running' | 'completed' | 'failed' | 'cancelled'

/** What a start returns: the stored row, already complete when the same job was done before. */
export interface StartedJob {
  id: number
  status: StoredJobStatus
  error?: string | null
}

/** A `…:status` event of a stored job, as the core sends it (jobs/compute-processes.ts). */
export interface JobStatusEvent {
  id: number
  status: StoredJobStatus
  error?: string
}

/** A `…:status` event as a follower takes it. */
export interface JobStatusPayload {
  id: number
  status: StoredJobStatus
  error?: string | null
}

/** A `…:progress` event of a stored job; `phase` where the kind of job tells one. */
export interface JobProgressPayload {
  id: number
  fraction: number
  phase?: string
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

/** How a job that did not complete ended; a result that cannot be read counts as failed. */
export interface JobEnd {
  status: 'failed' | 'cancelled'
  error: string | null
}

/** One kind of stored job as the shell reaches it: its stored result, its cancel, its events. */
export interface StoredJobPort<Result, Progress extends JobProgressPayload> {
  get(id: number): Promise<Result>
  cancel(id: number): Promise<unknown>
  /** each returns the function that stops listening */
  onProgress(listener: (progress: Progress) => void): () => void
  onStatus(listener: (status: JobStatusPayload) => void): () => void
}

export interface FollowOptions<Result, Progress> {
  /** the stored result of a completed job, fetched */
  onResult: (result: Result) => void | Promise<void>
  /** a job that failed (with its reason) or was cancelled; also when its result cannot be read */
  onEnd?: (end: JobEnd) => void | Promise<void>
  /** each progress event of the followed job, after the job took its phase and fraction */
  onProgress?: (progress: Progress) => void
  /** the job followed changed: started, moved on, or ended (null) */
  onJob?: (job: FollowedJob | null) => void
}

/**
 * Follows one job at a time over `port`. Listens from the call on; `stop` stops listening (the job
 * itself runs on).
 */
export function followStoredJobs<Result, Progress extends JobProgressPayload>(
  port: StoredJobPort<Result, Progress>,
  options: FollowOptions<Result, Progress>,
) {
  let job: FollowedJob | null = null
  const follow = (next: FollowedJob | null) => {
    job = next
    options.onJob?.(next)
  }

  async function finish(id: number): Promise<void> {
    let result: Result
    try {
      result = await port.get(id)
    } catch (caught) {
      follow(null)
      await options.onEnd?.({
        status: 'failed',
        error: caught instanceof Error ? caught.message : String(caught),
      })
      return
    }
    follow(null)
    await options.onResult(result)
  }

  /**
   * Starts a job with `begin` (its errors are the caller's) and follows it; one started earlier
   * and no longer followed is left to run, its events ignored.
   */
  async function start(begin: () => Promise<StartedJob>, label = ''): Promise<void> {
    const started = await begin()
    if (started.status === 'completed') await finish(started.id)
    else if (started.status === 'running')
      follow({ id: started.id, label, phase: 'loading', fraction: 0 })
    else {
      follow(null)
      await options.onEnd?.({ status: started.status, error: started.error ?? null })
    }
  }

  /** Cancels the job followed, if any (its status event then ends it). */
  async function cancel(): Promise<void> {
    if (job) await port.cancel(job.id)
  }

  const stopProgress = port.onProgress((progress) => {
    if (!job || progress.id !== job.id) return
    follow({ ...job, phase: progress.phase ?? 'running', fraction: progress.fraction })
    options.onProgress?.(progress)
  })
  const stopStatus = port.onStatus((status) => {
    if (status.id !== job?.id || status.status === 'running') return
    if (status.status === 'completed') void finish(status.id)
    else {
      follow(null)
      void options.onEnd?.({ status: status.status, error: status.error ?? null })
    }
  })

  function stop(): void {
    stopProgress()
    stopStatus()
  }

  return { current: () => job, start, cancel, stop }
}
