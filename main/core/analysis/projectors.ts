// The service side of projections: each projection computed in its own process
// (project.process.ts), its messages turned into events, a dead process into a failed
// projection with its reason.
import type { ProjectionProgress } from '../shared/projections'
import type { ProjectionsStore } from '../store/projections-store'
import type { TrainerEntry } from '../training/trainers'
import { ComputeProcesses } from './compute-processes'
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
  readonly processes: ComputeProcesses<FromProjector>

  constructor(private readonly options: ProjectorsOptions) {
    const { projections, events } = options
    this.processes = new ComputeProcesses<FromProjector>({
      entry: options.entry,
      noun: 'projection',
      onMessage: (id, message) => {
        if (message.type === 'progress') {
          const { type: _type, ...progress } = message
          events.progress({ id, ...progress })
        } else events.status({ id, status: message.status, error: message.error })
      },
      onExit: (id, error) => {
        if (projections.get(id).status !== 'running') return
        projections.finish(id, 'failed', error)
        events.status({ id, status: 'failed', error })
      },
    })
  }

  get running(): number[] {
    return this.processes.running
  }

  start(id: number): void {
    const start: ToProjector = {
      type: 'start',
      workspaceFile: this.options.workspaceFile,
      projectionId: id,
      nativeBinding: this.options.nativeBinding,
    }
    this.processes.start(id, start)
    this.options.events.status({ id, status: 'running' })
  }

  cancel(id: number): boolean {
    return this.processes.cancel(id)
  }

  /** Stops every projection process (the app is closing); their rows are marked cancelled. */
  stopAll(): void {
    for (const id of this.processes.stopAll())
      this.options.projections.finish(id, 'cancelled', 'The app was closed.')
  }
}
