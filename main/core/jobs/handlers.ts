// The contract's `jobs.cancel`: aborts work running under a job id in this process (an
// import, a folder export); runs, projections and clusterings have their own cancel methods.
import type { Handlers } from '../dispatch'
import type { JobIds } from './job-ids'

export function jobHandlers(jobs: JobIds): Pick<Handlers, 'jobs.cancel'> {
  return { 'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }) }
}
