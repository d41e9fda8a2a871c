// One child process per piece of heavy analysis work (a projection, a clustering), keyed by the
// id of its row: started below the UI's priority, its messages handed on, a cancel passed in,
// and a process that dies before saying it finished reported with its last words.
import { fork, type ChildProcess } from 'node:child_process'
import { setPriority } from 'node:os'
import type { TrainerEntry } from '../training/trainers'

export interface ComputeProcessesOptions<Message> {
  entry: TrainerEntry
  /** what the work is called in an error message: "projection", "clustering" */
  noun: string
  onMessage(id: number, message: Message): void
  /** the process exited; `error` says how, for a row still marked running */
  onExit(id: number, error: string): void
}

/**
 * Forks a compute process below the UI's priority; `onExit` hears how it ended, with the last
 * line it wrote to stderr, in words a user can read.
 */
export function forkCompute(
  entry: TrainerEntry,
  noun: string,
  onExit: (error: string) => void,
): ChildProcess {
  const child = fork(entry.path, [], {
    execArgv: entry.execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  })
  if (child.pid) {
    try {
      setPriority(child.pid, 10) // below the UI's priority, as training
    } catch {
      // not permitted here: run at normal priority
    }
  }
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk)
    stderr = (stderr + chunk.toString()).slice(-2000)
  })
  child.on('exit', (code, signal) => {
    const how = signal ? `it was stopped by ${signal}` : `it exited with code ${code}`
    const lastWords = stderr.trim().split('\n').pop()
    onExit(
      `The ${noun} process stopped unexpectedly (${how}${signal === 'SIGKILL' ? ', which is what running out of memory looks like' : ''}).` +
        (lastWords ? ` Its last message: ${lastWords}` : ''),
    )
  })
  return child
}

export class ComputeProcesses<Message> {
  private readonly children = new Map<number, ChildProcess>()

  constructor(private readonly options: ComputeProcessesOptions<Message>) {}

  get running(): number[] {
    return [...this.children.keys()]
  }

  start(id: number, startMessage: object): void {
    const { entry, onMessage, onExit, noun } = this.options
    const child = forkCompute(entry, noun, (error) => {
      this.children.delete(id)
      onExit(id, error)
    })
    this.children.set(id, child)
    child.on('message', (message: Message) => onMessage(id, message))
    child.send(startMessage)
  }

  /** Asks the work to stop; false when it is not running in this session. */
  cancel(id: number): boolean {
    const child = this.children.get(id)
    if (!child?.connected) return false
    child.send({ type: 'cancel' })
    return true
  }

  /** For tests that kill a process the way the system would. */
  kill(id: number, signal: NodeJS.Signals): void {
    this.children.get(id)?.kill(signal)
  }

  /** Stops every process (the app is closing); returns the ids that were running. */
  stopAll(): number[] {
    const ids = this.running
    for (const child of this.children.values()) {
      child.removeAllListeners()
      child.kill('SIGTERM')
    }
    this.children.clear()
    return ids
  }
}

export interface JobStatusEvent {
  id: number
  status: 'running' | 'completed' | 'failed' | 'cancelled'
  error?: string
}

/** What a stored job's process says: progress of some shape, then how it finished. */
export type JobMessage<Progress> =
  | ({ type: 'progress' } & Progress)
  | { type: 'finished'; status: 'completed' | 'failed' | 'cancelled'; error?: string }

export interface StoredJobsOptions<Progress> {
  entry: TrainerEntry
  noun: string
  /** the rows the jobs write to: a job still 'running' when its process dies is failed here */
  store: {
    get(id: number): { status: string }
    finish(id: number, status: 'failed' | 'cancelled', error: string | null): void
  }
  /** the message that starts job `id` in its process */
  startMessage(id: number): object
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

  constructor(private readonly options: StoredJobsOptions<Progress>) {
    const { store, events } = options
    this.processes = new ComputeProcesses<JobMessage<Progress>>({
      entry: options.entry,
      noun: options.noun,
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
    this.processes.start(id, this.options.startMessage(id))
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
