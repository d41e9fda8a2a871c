// One child process per piece of heavy work (a run, a projection, a clustering), keyed by the
// id of its row: started through spawner.ts's startProcess, its messages handed on, its abort
// signal passed in (cancel.ts), and a process that dies before saying it finished reported with
// its last words.
import { abortChild, closing } from './cancel'
import { startProcess, type ComputeChild, type ProcessEntry, type Spawner } from './spawner'
import type { JobStatusEvent } from '../shared/stored-job'

export interface ComputeProcessesOptions<Message> {
  entry: ProcessEntry
  spawn: Spawner
  /** what the work is called in an error message: "training", "projection", "clustering" */
  noun: string
  /** how a dead process is described (spawner.ts, describeExits) */
  preferErrors?: boolean
  kept?: string
  onMessage(id: number, message: Message): void
  /** the process exited; `error` says how, for a row still marked running */
  onExit(id: number, error: string): void
}

interface Job {
  child: ComputeChild
  /** aborted to cancel the job; cancel.ts's abortChild tells its process */
  abort: AbortController
}

export class ComputeProcesses<Message> {
  private readonly children = new Map<number, Job>()

  constructor(private readonly options: ComputeProcessesOptions<Message>) {}

  get running(): number[] {
    return [...this.children.keys()]
  }

  /** The process's pid, for tests that kill it. */
  pid(id: number): number | undefined {
    return this.children.get(id)?.child.pid
  }

  start(id: number, startMessage: object): void {
    const { entry, spawn, onMessage, onExit, noun, preferErrors, kept } = this.options
    const child = startProcess(spawn, entry, {
      noun,
      preferErrors,
      kept,
      onExit: (error) => {
        // Work started again at once (a run continued) has a new process already: the old
        // one's exit is not its end.
        if (this.children.get(id)?.child !== child) return
        this.children.delete(id)
        onExit(id, error)
      },
    })
    const abort = new AbortController()
    abortChild(abort.signal, child)
    this.children.set(id, { child, abort })
    child.onMessage((message: Message) => onMessage(id, message))
    child.send(startMessage)
  }

  /** Sends a message to job `id`'s process; false when it is not running in this session. */
  send(id: number, message: object): boolean {
    const child = this.children.get(id)?.child
    if (!child?.connected) return false
    child.send(message)
    return true
  }

  /** Asks the work to stop; false when it is not running in this session. */
  cancel(id: number): boolean {
    const job = this.children.get(id)
    if (!job?.child.connected) return false
    job.abort.abort()
    return true
  }

  /** For tests that kill a process the way the system would. */
  kill(id: number, signal: NodeJS.Signals): void {
    this.children.get(id)?.child.kill(signal)
  }

  /** Stops every process (the app is closing); returns the ids that were running. */
  stopAll(): number[] {
    const ids = this.running
    for (const { abort } of this.children.values()) abort.abort(closing)
    this.children.clear()
    return ids
  }
}

/** What a stored job's process says: progress of some shape, then how it finished. */
export type JobMessage<Progress> =
  | ({ type: 'progress' } & Progress)
  | { type: 'finished'; status: 'completed' | 'failed' | 'cancelled'; error?: string }

export interface StoredJobsOptions<Progress> {
  entry: ProcessEntry
  spawn: Spawner
  /** the rows the jobs write to: a job still 'running' when its process dies is failed here */
  store: {
    get(id: number): { status: string }
    finish(id: number, status: 'failed' | 'cancelled', error: string | null): void
  }
  /** the workspace the process opens, and the native SQLite binding it loads (Electron's) */
  workspaceFile: string
  nativeBinding?: string
  events: {
    progress(payload: { id: number } & Progress): void
    status(payload: JobStatusEvent): void
  }
}

/**
 * Jobs stored as rows (projections, clusterings), each computed in a process of its own: its
 * messages become events, and a process that dies marks its row failed with the reason.
 */
export class StoredJobs<Progress> {
  readonly processes: ComputeProcesses<JobMessage<Progress>>

  /**
   * `noun` names the work in error messages ("projection"); `idKey` names the job's id in the
   * message that starts its process ({ type: 'start', workspaceFile, projectionId, nativeBinding }).
   */
  constructor(
    noun: string,
    private readonly idKey: string,
    private readonly options: StoredJobsOptions<Progress>,
  ) {
    const { store, events } = options
    this.processes = new ComputeProcesses<JobMessage<Progress>>({
      entry: options.entry,
      spawn: options.spawn,
      noun,
      onMessage: (id, message) => {
        if (message.type === 'finished')
          events.status({ id, status: message.status, error: message.error })
        else {
          const { type: _type, ...progress } = message
          events.progress({ id, ...(progress as Progress) })
        }
      },
      onExit: (id, error) => {
        if (store.get(id).status !== 'running') return
        store.finish(id, 'failed', error)
        events.status({ id, status: 'failed', error })
      },
    })
  }

  get running(): number[] {
    return this.processes.running
  }

  start(id: number): void {
    const { workspaceFile, nativeBinding } = this.options
    this.processes.start(id, { type: 'start', workspaceFile, [this.idKey]: id, nativeBinding })
    this.options.events.status({ id, status: 'running' })
  }

  cancel(id: number): boolean {
    return this.processes.cancel(id)
  }

  /** Stops every process (the app is closing); their rows are marked cancelled. */
  stopAll(): void {
    for (const id of this.processes.stopAll())
      this.options.store.finish(id, 'cancelled', 'The app was closed.')
  }
}
