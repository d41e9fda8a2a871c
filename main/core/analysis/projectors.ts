// The service side of projections: one child process per projection being computed, its
// messages turned into events, a dead process into a failed projection with its reason.
import { fork, type ChildProcess } from 'node:child_process'
import { setPriority } from 'node:os'
import type { ProjectionProgress } from '../shared/projections'
import type { ProjectionsStore } from '../store/projections-store'
import type { TrainerEntry } from '../training/trainers'
import type { FromProjector, ToProjector } from './projector-messages'

export interface ProjectionStatusEvent {
  id: number
  status: 'running' | 'completed' | 'failed' | 'cancelled'
  error?: string
}

export interface ProjectorsOptions {
  projections: ProjectionsStore
  workspaceFile: string
  nativeBinding?: string
  entry: TrainerEntry
  events: {
    progress(payload: ProjectionProgress): void
    status(payload: ProjectionStatusEvent): void
  }
}

export class Projectors {
  private readonly children = new Map<number, ChildProcess>()

  constructor(private readonly options: ProjectorsOptions) {}

  get running(): number[] {
    return [...this.children.keys()]
  }

  start(id: number): void {
    const { entry, projections, events } = this.options
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
    child.on('message', (message: FromProjector) => {
      if (message.type === 'progress') {
        const { type: _type, ...progress } = message
        events.progress({ id, ...progress })
      } else events.status({ id, status: message.status, error: message.error })
    })
    child.on('exit', (code, signal) => {
      this.children.delete(id)
      if (projections.get(id).status !== 'running') return
      const how = signal ? `it was stopped by ${signal}` : `it exited with code ${code}`
      const lastWords = stderr.trim().split('\n').pop()
      const error =
        `The projection process stopped unexpectedly (${how}${signal === 'SIGKILL' ? ', which is what running out of memory looks like' : ''}).` +
        (lastWords ? ` Its last message: ${lastWords}` : '')
      projections.finish(id, 'failed', error)
      events.status({ id, status: 'failed', error })
    })
    this.send(id, {
      type: 'start',
      workspaceFile: this.options.workspaceFile,
      projectionId: id,
      nativeBinding: this.options.nativeBinding,
    })
    events.status({ id, status: 'running' })
  }

  cancel(id: number): boolean {
    const child = this.children.get(id)
    if (!child?.connected) return false
    this.send(id, { type: 'cancel' })
    return true
  }

  /** Stops every projection process (the app is closing); their rows are marked cancelled. */
  stopAll(): void {
    for (const [id, child] of this.children) {
      child.removeAllListeners()
      child.kill('SIGTERM')
      this.options.projections.finish(id, 'cancelled', 'The app was closed.')
    }
    this.children.clear()
  }

  private send(id: number, message: ToProjector): void {
    this.children.get(id)?.send(message)
  }
}
