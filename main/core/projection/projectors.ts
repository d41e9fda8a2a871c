// The service side of projections: each computed in its own process (project.process.ts),
// started and followed as every stored job is (StoredJobs in main/core/jobs/compute-processes.ts).
import type { ProjectionProgress } from '../shared/projections'
import { StoredJobs, type StoredJobsOptions } from '../jobs/compute-processes'
import type { ToProjector } from './projector-messages'

type Progress = Omit<ProjectionProgress, 'id'>
/** the key that names the projection in the message that starts its process */
const idKey = 'projectionId' satisfies keyof Extract<ToProjector, { type: 'start' }>

export class Projectors extends StoredJobs<Progress> {
  constructor(options: StoredJobsOptions<Progress>) {
    super('projection', idKey, options)
  }
}
