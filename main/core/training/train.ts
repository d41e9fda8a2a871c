// The training loop: minibatches, noise, the hand-written gradients, the optimiser, validation,
// early stopping. Runs anywhere tfjs runs; the training process wraps it (train.process.ts).
import * as tf from '@tensorflow/tfjs-core'
import { encode, forwardChain, variablesOf, type Autoencoder } from '../models/autoencoder'
import { type TrainConfig } from '../shared/train-config'
import { optimizerFor, TrainHelpers } from './data-parallel'
import { seededRandom, shuffledIndices, stepSeed } from '../shared/random'
import { splitIndices } from '../shared/split'
import { batchStep, createModelFor, gatherRows, objectiveOf, type TrainingData } from './step'

export interface EpochReport {
  epoch: number
  /** mean total objective over the epoch's batches */
  trainLoss: number
  /** reconstruction term on the clean validation images (VAE: from the mean code); null without a split */
  valLoss: number | null
  /** mean per-pixel squared error on the validation images (train images without a split) */
  mse: number
  /** each objective term, averaged over the epoch */
  terms: Record<string, number>
  seconds: number
  samplesPerSec: number
}

export interface BatchProgress {
  epoch: number
  batch: number
  batches: number
  loss: number
}

export interface TrainControl {
  signal?: AbortSignal
  /** resolves when training may go on (pause holds it) */
  waitWhilePaused?: () => Promise<void>
  onEpoch?: (report: EpochReport, model: Autoencoder) => void | Promise<void>
  onBatch?: (progress: BatchProgress) => void
  /** threads to split each batch over; by default data-parallel.ts's threadsFor decides */
  threads?: number
}

export interface TrainResult {
  model: Autoencoder
  epochs: EpochReport[]
  bestEpoch: number
  stoppedEarly: boolean
  cancelled: boolean
  /** threads each batch was split over */
  threads: number
}

/** Reconstruction term and per-pixel MSE of clean images (VAE: decoded from the mean). */
export function evaluate(
  model: Autoencoder,
  data: TrainingData,
  indices: Int32Array,
  reconstruction: 'mse' | 'bce',
  chunk = 1024,
): { loss: number; mse: number } {
  let lossSum = 0
  let squaredSum = 0
  const buffer = new Float32Array(chunk * data.size)
  for (let from = 0; from < indices.length; from += chunk) {
    const count = Math.min(chunk, indices.length - from)
    const rows = gatherRows(data, indices, from, count, buffer)
    const [loss, squared] = tf.tidy(() => {
      const x = tf.tensor2d(rows, [count, data.size])
      const chain = forwardChain(encode(model, x), model.decoder)
      const xHat = chain[chain.length - 1]
      const squaredError = tf.sum(tf.square(tf.sub(xHat, x)))
      const term =
        reconstruction === 'mse'
          ? tf.mul(squaredError, 0.5)
          : tf.neg(
              tf.sum(
                tf.add(
                  tf.mul(x, tf.log(tf.clipByValue(xHat, 1e-7, 1))),
                  tf.mul(tf.sub(1, x), tf.log(tf.clipByValue(tf.sub(1, xHat), 1e-7, 1))),
                ),
              ),
            )
      return [term.dataSync()[0], squaredError.dataSync()[0]]
    })
    lossSum += loss
    squaredSum += squared
  }
  return { loss: lossSum / indices.length, mse: squaredSum / (indices.length * data.size) }
}

/**
 * Images the per-epoch evaluation reads when there is no validation split: a forward pass over all
 * 70,000 of Fashion-MNIST cost 11.5 s beside an epoch's 47 s of training (N2D's model, wasm).
 */
const evaluationLimit = 10_000

/** Up to `limit` of `indices`, spread evenly over them. */
export function spreadSample(indices: Int32Array, limit: number): Int32Array {
  if (indices.length <= limit) return indices
  return Int32Array.from(
    { length: limit },
    (_, i) => indices[Math.floor((i * indices.length) / limit)],
  )
}

// the split lives in shared/split.ts, so the items table shows the one training used
export { splitIndices, trainingRows } from '../shared/split'

export async function train(
  data: TrainingData,
  config: TrainConfig,
  control: TrainControl = {},
  resume?: { model: Autoencoder; afterEpoch: number },
): Promise<TrainResult> {
  const initial = resume?.model
  const model = initial ?? createModelFor(config, data.image)
  const objective = objectiveOf(config)
  const optimizer = optimizerFor(config)
  const { train: trainIndices, validation } = splitIndices(
    data.count,
    config.validationSplit,
    config.seed,
  )
  const evaluated = validation.length ? validation : spreadSample(trainIndices, evaluationLimit)
  const variables = variablesOf(model)
  const helpers = TrainHelpers.forJob(trainIndices.length, model.spec, control.threads, {
    variables,
    pixels: data.pixels,
    size: data.size,
    image: data.image,
    config,
  })
  const threads = 1 + (helpers?.count ?? 0)
  const random = seededRandom(config.seed)
  const buffer = new Float32Array(config.batchSize * data.size)
  const job = { model, data, buffer, config, objective, optimizer, variables, helpers }
  const batches = Math.ceil(trainIndices.length / config.batchSize)
  const epochs: EpochReport[] = []
  let best = { loss: Infinity, epoch: 0 }
  let stoppedEarly = false
  let cancelled = false

  try {
    for (let epoch = (resume?.afterEpoch ?? 0) + 1; epoch <= config.epochs; epoch++) {
      const started = performance.now()
      const order = shuffledIndices(trainIndices.length, random).map((i) => trainIndices[i])
      const sums: Record<string, number> = {}
      let totalSum = 0
      for (let b = 0; b < batches; b++) {
        if (control.signal?.aborted) {
          cancelled = true
          break
        }
        await control.waitWhilePaused?.()
        const from = b * config.batchSize
        const batch = order.subarray(from, Math.min(from + config.batchSize, order.length))
        const { values } = await batchStep(job, batch, stepSeed(config.seed, epoch, b))
        if (!Number.isFinite(values.total))
          throw new Error(
            `The loss diverged (${values.total}) in epoch ${epoch}, batch ${b + 1}: lower the learning rate and train again.`,
          )
        totalSum += values.total
        for (const [name, value] of Object.entries(values.terms))
          sums[name] = (sums[name] ?? 0) + value
        control.onBatch?.({ epoch, batch: b + 1, batches, loss: values.total })
        // let the process hear pause and cancel between batches
        if (b % 4 === 3) await new Promise((resolve) => setImmediate(resolve))
      }
      if (cancelled) break
      const seconds = (performance.now() - started) / 1000
      const evaluation = evaluate(model, data, evaluated, config.reconstruction)
      const report: EpochReport = {
        epoch,
        trainLoss: totalSum / batches,
        valLoss: validation.length ? evaluation.loss : null,
        mse: evaluation.mse,
        terms: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / batches])),
        seconds,
        samplesPerSec: trainIndices.length / seconds,
      }
      epochs.push(report)
      const score = report.valLoss ?? report.trainLoss
      if (score < best.loss) best = { loss: score, epoch }
      await control.onEpoch?.(report, model)
      if (config.patience > 0 && epoch - best.epoch >= config.patience) {
        stoppedEarly = true
        break
      }
    }
  } finally {
    optimizer.dispose()
    await helpers?.close()
  }
  return { model, epochs, bestEpoch: best.epoch, stoppedEarly, cancelled, threads }
}
