// Messages between the service and the training process (train.process.ts), both ways.
import type { ReconstructionPreview } from '../shared/runs'
import type { BatchProgress, EpochReport } from './train'

export type ToTrainer =
  | {
      type: 'start'
      workspaceFile: string
      runId: number
      nativeBinding?: string
      /** go on from the run's last checkpoint (an interrupted run) */
      resume?: boolean
    }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' }

export type FromTrainer =
  | { type: 'started'; backend: string; notes: string[]; threads: number }
  | ({ type: 'progress'; samplesPerSec: number; epochs: number; eta: number } & BatchProgress)
  | { type: 'epoch'; report: EpochReport; epochs: number; preview: ReconstructionPreview }
  | {
      type: 'finished'
      status: 'completed' | 'failed' | 'cancelled' | 'interrupted'
      error?: string
    }
