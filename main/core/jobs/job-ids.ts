// Work that runs in this process under a job id the caller chose (an import, a folder export),
// so that `jobs.cancel` can stop it before its result comes back: each id holds the
// AbortController whose signal the work is given (docs/architecture.md, "Cancelling").
import { StudioError } from '../errors'

/** Runs `work` under a job id; the signal is the one `jobs.cancel` aborts. */
export type RunJob = <T>(
  jobId: string | undefined,
  work: (signal: AbortSignal) => Promise<T>,
) => Promise<T>

export class JobIds {
  private readonly jobs = new Map<string, AbortController>()

  /** Runs `work` under `jobId` (a fresh id when none is given) until it settles. */
  readonly run: RunJob = async (jobId, work) => {
    const id = jobId ?? crypto.randomUUID()
    if (this.jobs.has(id)) throw new StudioError('bad-params', `Job ${id} is already running.`)
    const controller = new AbortController()
    this.jobs.set(id, controller)
    try {
      return await work(controller.signal)
    } finally {
      this.jobs.delete(id)
    }
  }

  /** Aborts the job's signal; false when no job of that id is running. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    job?.abort()
    return job !== undefined
  }

  /** Aborts every job (the workspace is closing). */
  abortAll(): void {
    for (const job of this.jobs.values()) job.abort()
  }
}
