// The service side of clusterings: each computed in its own process (cluster.process.ts).
import type { ClusteringProgress } from '../shared/clusterings'
import type { ClusteringsStore } from '../store/clusterings-store'
import type { ProcessEntry, Spawner } from '../jobs/spawner'
import type { ToClusterer } from './clusterer-messages'
import { StoredJobs, type JobStatusEvent } from '../jobs/compute-processes'

export type ClusteringStatusEvent = JobStatusEvent

export interface ClusterersOptions {
  clusterings: ClusteringsStore
  workspaceFile: string
  nativeBinding?: string
  entry: ProcessEntry
  spawn: Spawner
  events: {
    progress(payload: ClusteringProgress): void
    status(payload: ClusteringStatusEvent): void
  }
}

export class Clusterers extends StoredJobs<Omit<ClusteringProgress, 'id'>> {
  constructor(options: ClusterersOptions) {
    const { clusterings, workspaceFile, nativeBinding, entry, spawn, events } = options
    super({
      entry,
      spawn,
      noun: 'clustering',
      store: clusterings,
      startMessage: (clusteringId): ToClusterer => ({
        type: 'start',
        workspaceFile,
        clusteringId,
        nativeBinding,
      }),
      events,
    })
  }
}
