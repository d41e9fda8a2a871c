// The service side of clusterings: each computed in its own process (cluster.process.ts),
// started and followed as every stored job is (StoredJobs in main/core/jobs/compute-processes.ts).
import type { ClusteringProgress } from '../shared/clusterings'
import { StoredJobs, type StoredJobsOptions } from '../jobs/compute-processes'
import type { ToClusterer } from './clusterer-messages'

type Progress = Omit<ClusteringProgress, 'id'>
/** the key that names the clustering in the message that starts its process */
const idKey = 'clusteringId' satisfies keyof Extract<ToClusterer, { type: 'start' }>

export class Clusterers extends StoredJobs<Progress> {
  constructor(options: StoredJobsOptions<Progress>) {
    super('clustering', idKey, options)
  }
}
