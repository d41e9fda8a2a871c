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

export class ComputeProcesses<Message> {
  private readonly children = new Map<number, ChildProcess>()

  constructor(private readonly options: ComputeProcessesOptions<Message>) {}

  get running(): number[] {
    return [...this.children.keys()]
  }

  start(id: number, startMessage: object): void {
    const { entry, onMessage, onExit, noun } = this.options
    const child = fork(entry.path, [], {
      execArgv: entry.execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    })
    this.children.set(id, child)
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
    child.on('message', (message: Message) => onMessage(id, message))
    child.on('exit', (code, signal) => {
      this.children.delete(id)
      const how = signal ? `it was stopped by ${signal}` : `it exited with code ${code}`
      const lastWords = stderr.trim().split('\n').pop()
      onExit(
        id,
        `The ${noun} process stopped unexpectedly (${how}${signal === 'SIGKILL' ? ', which is what running out of memory looks like' : ''}).` +
          (lastWords ? ` Its last message: ${lastWords}` : ''),
      )
    })
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
