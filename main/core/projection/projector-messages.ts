// Messages between the service and the projection process (project.process.ts), both ways.
import type { ProjectionProgress } from '../shared/projections'

export type ToProjector =
  | { type: 'start'; workspaceFile: string; projectionId: number; nativeBinding?: string }
  | { type: 'cancel' }

export type FromProjector =
  | ({ type: 'progress' } & Omit<ProjectionProgress, 'id'>)
  | { type: 'finished'; status: 'completed' | 'failed' | 'cancelled'; error?: string }
