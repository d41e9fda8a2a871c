// The service side of clusterings: each computed in its own process (cluster.process.ts).
import type { ClusteringProgress } from '../shared/clusterings'
import type { ClusteringsStore } from '../store/clusterings-store'
import type { TrainerEntry } from '../training/trainers'
import type { FromClusterer, ToClusterer } from './clusterer-messages'
import { ComputeProcesses } from './compute-processes'

export interface ClusteringStatusEvent {
  id: number
  status: 'running' | 'completed' | 'failed' | 'cancelled'
  error?: string
}

export interface ClusterersOptions {
  clusterings: ClusteringsStore
  workspaceFile: string
  nativeBinding?: string
  entry: TrainerEntry
  events: {
    progress(payload: ClusteringProgress): void
    status(payload: ClusteringStatusEvent): void
  }
}

export class Clusterers {
  readonly processes: ComputeProcesses<FromClusterer>

  constructor(private readonly options: ClusterersOptions) {
    const { clusterings, events } = options
    this.processes = new ComputeProcesses<FromClusterer>({
      entry: options.entry,
      noun: 'clustering',
      onMessage: (id, message) => {
        if (message.type === 'progress') events.progress({ id, fraction: message.fraction })
        else events.status({ id, status: message.status, error: message.error })
      },
      onExit: (id, error) => {
        if (clusterings.get(id).status !== 'running') return
        clusterings.finish(id, 'failed', error)
        events.status({ id, status: 'failed', error })
      },
    })
  }

  start(id: number): void {
    const start: ToClusterer = {
      type: 'start',
      workspaceFile: this.options.workspaceFile,
      clusteringId: id,
      nativeBinding: this.options.nativeBinding,
    }
    this.processes.start(id, start)
    this.options.events.status({ id, status: 'running' })
  }

  cancel(id: number): boolean {
    return this.processes.cancel(id)
  }

  stopAll(): void {
    for (const id of this.processes.stopAll())
      this.options.clusterings.finish(id, 'cancelled', 'The app was closed.')
  }
}
