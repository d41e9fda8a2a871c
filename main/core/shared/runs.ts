// Run data shared by main/core and the renderer. No Node, no DOM.

export type RunStatus =
  'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'interrupted' | 'cancelled'
export type FinishStatus = 'completed' | 'failed' | 'cancelled' | 'interrupted'
export type CheckpointKind = 'last' | 'best'

export interface NewRun {
  datasetId: number
  name: string
  config: unknown
}

export interface EpochRow {
  epoch: number
  trainLoss: number
  valLoss: number | null
  mse: number | null
  /** objective term name → its value for the epoch */
  terms: Record<string, number>
  seconds: number
  samplesPerSec: number
}

export interface RunSummary {
  id: number
  datasetId: number
  datasetName: string
  name: string
  createdAt: string
  status: RunStatus
  config: unknown
  backend: string | null
  startedAt: string | null
  finishedAt: string | null
  error: string | null
  notes: string
  /** what the run came to, once it completed or was stopped; null before and otherwise */
  summary: RunOutcome | null
  /** how many epochs are stored */
  epochs: number
  lastEpoch: EpochRow | null
}

/** What a completed run stores as its summary (training/train.process.ts writes it). */
export interface RunOutcome {
  trainLoss: number | null
  valLoss: number | null
  mse: number | null
  samplesPerSec: number
  seconds: number
  epochs: number
  bestEpoch: number
  stoppedEarly: boolean
  backend: string
  /** threads each batch was split over (runs since they could be more than one) */
  threads?: number
  /** why this backend: the GPU's adapter, or why faster ones were passed over (runs since #18) */
  backendNotes?: string[]
  /** diagnostics on a sample of the images (runs since they were computed) */
  diagnostics?: Diagnostics
  /**
   * what looks wrong with the training, each with what to try (training/warnings.ts); the run's
   * status says only how it ended. Runs since warnings were computed.
   */
  warnings?: TrainingWarning[]
}

export type TrainingWarningKind = 'loss-not-falling' | 'loss-not-finite' | 'collapsed' | 'gpu-lost'

/** Something about a run the user should know, in plain words. */
export interface TrainingWarning {
  kind: TrainingWarningKind
  /** what was seen, with its numbers */
  message: string
  /** what to try */
  advice: string
}

/** Diagnostics a run reports (metrics/diagnostics.ts computes them). */
export interface Diagnostics {
  /** fraction of hidden activations within 0.05 of their activation's bounds (SAT) */
  saturated: number | null
  /** mean ‖J_f(x)‖_F of the code with respect to the input */
  jacobianNorm: number
  /** mean code activation ρ̂ (sparse models) */
  meanActivation: number | null
  /** latent dimensions whose mean varies over the data (Var_x E[z_j|x] > 0.01), for VAEs */
  activeDimensions: number | null
  /** held-out accuracy of a softmax classifier on the codes, where labels exist */
  linearProbe: number | null
  /** held-out accuracy of a 10-nearest-neighbour vote on the codes, where labels exist */
  knn: number | null
  /** how many images the figures above were computed on */
  sample: number
}

export interface NewCheckpoint {
  kind: CheckpointKind
  epoch: number
  /** every variable concatenated, in manifest order */
  weights: Float32Array
  manifest: unknown
}

export interface Checkpoint {
  epoch: number
  weights: Float32Array
  manifest: unknown
}

export interface Embeddings {
  rows: number
  dims: number
  /** rows × dims, row-major */
  codes: Float32Array
  /** per-item reconstruction error */
  errors: Float32Array
  /** items.id in dataset order */
  itemIds: Int32Array
}

export interface EpochCodes {
  epoch: number
  /** sample × dims, row-major */
  codes: Float32Array
}

export interface TrainingProgress {
  runId: number
  epoch: number
  epochs: number
  batch: number
  batches: number
  loss: number
  samplesPerSec: number
  /** seconds left for the whole run at the current rate */
  eta: number
}

/** A few fixed images and their reconstructions after an epoch, for the live strip. */
export interface ReconstructionPreview {
  width: number
  height: number
  channels: 1 | 3
  /** count × H·W·C each, uint8 */
  originals: Uint8Array
  reconstructions: Uint8Array
}

export interface TrainingEpoch {
  runId: number
  report: EpochRow
  epochs: number
  preview: ReconstructionPreview
}

export interface TrainingStatus {
  runId: number
  status: RunStatus
  backend?: string
  /** why faster backends were passed over, when training starts */
  backendNotes?: string[]
  /** threads each batch is split over, when training starts */
  threads?: number
  error?: string
}

/** The result of the gradient check (docs/models.md, "Gradient check") on a tiny model. */
export interface GradientCheckReport {
  /** the largest |analytic − numeric| / max(|analytic|, |numeric|, 1e-3) */
  maxRelativeError: number
  checked: number
  worst: { variable: string; index: number; analytic: number; numeric: number }
  /** under 1e-2: the gradients agree to float32 precision */
  passed: boolean
  /** the tiny model's layer widths */
  model: string
}

/**
 * The items whose codes are stored after every epoch, for watching the latent space learn: up to
 * `size` spread evenly over the dataset (its first items may all share one folder or label).
 */
export function watchedPositions(count: number, size = 5000): Int32Array {
  const n = Math.min(count, size)
  return Int32Array.from({ length: n }, (_, i) => Math.floor((i * count) / n))
}
