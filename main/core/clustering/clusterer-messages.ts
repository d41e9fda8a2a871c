// Messages between the service and the clustering process (cluster.process.ts), both ways.
export type ToClusterer =
  | { type: 'start'; workspaceFile: string; clusteringId: number; nativeBinding?: string }
  | { type: 'cancel' }

export type FromClusterer =
  | { type: 'progress'; fraction: number }
  | { type: 'finished'; status: 'completed' | 'failed' | 'cancelled'; error?: string }
