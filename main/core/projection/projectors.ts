// The service side of projections: each computed in its own process (project.process.ts).
import type { ProjectionProgress } from '../shared/projections'
import type { ProjectionsStore } from '../store/projections-store'
import type { ProcessEntry, Spawner } from '../jobs/spawner'
import { StoredJobs, type JobStatusEvent } from '../jobs/compute-processes'
import type { ToProjector } from './projector-messages'

export type ProjectionStatusEvent = JobStatusEvent

export interface ProjectorsOptions {
  projections: ProjectionsStore
  workspaceFile: string
  nativeBinding?: string
  entry: ProcessEntry
  spawn: Spawner
  events: {
    progress(payload: ProjectionProgress): void
    status(payload: ProjectionStatusEvent): void
  }
}

export class Projectors extends StoredJobs<Omit<ProjectionProgress, 'id'>> {
  constructor(options: ProjectorsOptions) {
    const { projections, workspaceFile, nativeBinding, entry, spawn, events } = options
    super({
      entry,
      spawn,
      noun: 'projection',
      store: projections,
      startMessage: (projectionId): ToProjector => ({
        type: 'start',
        workspaceFile,
        projectionId,
        nativeBinding,
      }),
      events,
    })
  }
}
