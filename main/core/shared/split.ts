// Which images of a run train and which validate: training (training/train.ts) splits by these,
// and the items table (items/query.ts) shows the same split. Plain code, no TensorFlow.
import { seededRandom, shuffledIndices } from './random'

/** How many of `count` images train, the rest validating. */
export function trainingRows(count: number, validationSplit: number): number {
  return count - Math.floor(count * validationSplit)
}

/** Splits 0…N−1 into shuffled training and validation indices, reproducibly. */
export function splitIndices(count: number, validationSplit: number, seed: number) {
  const order = shuffledIndices(count, seededRandom(seed ^ 0x5bd1e995))
  const validation = count - trainingRows(count, validationSplit)
  return { train: order.subarray(validation), validation: order.subarray(0, validation) }
}
