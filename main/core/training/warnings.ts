// Honest training status (docs/working-with-data.md, "Warnings"): what a finished or stopped run reports
// beside its status, each with what to try. The loss that did not fall and the loss that is not a
// number read the stored epochs; collapse compares how much the reconstructions of a sample differ
// from each other with how much the images themselves do. Plain numbers, no TensorFlow: the
// training process passes the reconstructions in.
import type { EpochRow, TrainingWarning } from '../shared/runs'

/** Reconstructions whose spread across images is under this share of the images' own spread. */
export const collapseRatio = 0.05
/** The loss must fall by more than this share from the first epoch to the last. */
export const minimumFall = 0.01

/**
 * The mean over pixels of the variance across rows: how much `count` images of `size` values
 * differ from one another (0 when they are all the same image).
 */
export function spreadAcrossImages(rows: ArrayLike<number>, count: number, size: number): number {
  if (count < 2) return 0
  let total = 0
  for (let k = 0; k < size; k++) {
    let sum = 0
    let squares = 0
    for (let r = 0; r < count; r++) {
      const v = rows[r * size + k]
      sum += v
      squares += v * v
    }
    const mean = sum / count
    total += Math.max(0, squares / count - mean * mean)
  }
  return total / size
}

const fixed = (value: number) =>
  Math.abs(value) >= 0.01 ? value.toFixed(4) : value.toExponential(2)

/**
 * The warnings of a run from its epochs and, where measured, the spread of a sample's
 * reconstructions against the spread of the same images.
 */
export function trainingWarnings(
  epochs: readonly EpochRow[],
  spread: { reconstructions: number; images: number } | null,
): TrainingWarning[] {
  const warnings: TrainingWarning[] = []
  const bad = epochs.find(
    (e) =>
      !Number.isFinite(e.trainLoss) ||
      (e.valLoss !== null && !Number.isFinite(e.valLoss)) ||
      (e.mse !== null && !Number.isFinite(e.mse)),
  )
  if (bad)
    warnings.push({
      kind: 'loss-not-finite',
      message: `The loss is not a number in epoch ${bad.epoch} (training ${bad.trainLoss}, validation ${bad.valLoss ?? 'none'}): the weights overflowed.`,
      advice:
        'Lower the learning rate (10 times lower is a good first step), or use Adam instead of SGD, and train again.',
    })
  const first = epochs[0]
  const last = epochs[epochs.length - 1]
  if (!bad && epochs.length >= 2 && !(last.trainLoss < first.trainLoss * (1 - minimumFall)))
    warnings.push({
      kind: 'loss-not-falling',
      message: `The training loss did not fall: ${fixed(first.trainLoss)} after epoch ${first.epoch}, ${fixed(last.trainLoss)} after epoch ${last.epoch}.`,
      advice:
        'The model is not learning. Try a lower learning rate if the loss jumps about, a higher one if it barely moves, or Adam instead of SGD.',
    })
  if (spread && spread.images > 0 && spread.reconstructions < collapseRatio * spread.images)
    warnings.push({
      kind: 'collapsed',
      message: `The reconstructions are nearly the same for every image: they differ from one another ${fixed(spread.reconstructions / spread.images)} times as much as the images do (under ${collapseRatio} is a collapse onto one blob).`,
      advice:
        'The model outputs one average image whatever the input. Lower the learning rate (a learning rate near 10 with SGD does this), use Adam, or train for more epochs; then look at the reconstructions again.',
    })
  return warnings
}

/** A run whose GPU was lost mid-run and that went on on the CPU path (training/gpu-loss.ts). */
export function gpuLostWarning(note: string): TrainingWarning {
  return {
    kind: 'gpu-lost',
    message: `${note}.`,
    advice:
      'Nothing is lost: the run went on from its last checkpoint, only slower. If it happens again, update the GPU driver, close other programs using the GPU, or train on the CPU path (backend wasm or tensorflow).',
  }
}
