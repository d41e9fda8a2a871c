// Data-parallel training (training/data-parallel.ts, train.worker.ts): helper threads take shares
// of each batch, and the step the main thread takes is the one a single thread would take on the
// whole batch, each thread stepping its part of the variables; how many threads a job gets; a
// helper's failure reaches the caller.
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disposeModel, variablesOf } from '../../../../main/core/models/autoencoder'
import { modelSpec } from '../../../../main/core/training/config'
import { trainConfig, type TrainConfig } from '../../../../main/core/shared/train-config'
import {
  layoutOf,
  sharesOf,
  threadsFor,
  TrainHelpers,
} from '../../../../main/core/training/data-parallel'
import { seededRandom } from '../../../../main/core/shared/random'
import { train } from '../../../../main/core/training/train'
import { createModelFor, type TrainingData } from '../../../../main/core/training/step'

let previous: string
beforeAll(async () => {
  previous = tf.getBackend()
  await tf.setBackend('cpu')
})
afterAll(async () => {
  if (previous) await tf.setBackend(previous)
})

/** `count` random 4×4 grey images. */
function images(count: number, seed: number): TrainingData {
  const random = seededRandom(seed)
  const size = 16
  return {
    pixels: Uint8Array.from({ length: count * size }, () => Math.floor(random() * 256)),
    count,
    size,
    image: [4, 4, 1],
  }
}

function configOf(overrides: Record<string, unknown>): TrainConfig {
  return trainConfig.parse({
    hidden: [12],
    latent: 3,
    activation: 'sigmoid',
    validationSplit: 0,
    seed: 3,
    ...overrides,
  })
}

async function weightsAfter(data: TrainingData, config: TrainConfig, threads: number) {
  const result = await train(data, config, { threads })
  const weights = variablesOf(result.model).map((v) => Array.from(v.dataSync()))
  disposeModel(result.model)
  return { weights, result }
}

describe('sharing a batch between threads', () => {
  it('splits a batch into contiguous shares that differ by at most one row', () => {
    for (const [rows, threads] of [
      [256, 2],
      [7, 2],
      [10, 3],
      [5, 4],
    ]) {
      const shares = sharesOf(rows, threads)
      expect(shares).toHaveLength(threads)
      expect(shares.reduce((sum, s) => sum + s.count, 0)).toBe(rows)
      shares.forEach((share, i) =>
        expect(share.from).toBe(i ? shares[i - 1].from + shares[i - 1].count : 0),
      )
      const counts = shares.map((s) => s.count)
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
    }
  })

  it('gives each thread a contiguous run of variables to step, of nearly equal size', () => {
    // the N2D model's variables: W and b of 784-500-500-2000-10-2000-500-500-784
    const widths = [784, 500, 500, 2000, 10, 2000, 500, 500, 784]
    const sizes = widths.slice(1).flatMap((units, i) => [widths[i] * units, units])
    const total = sizes.reduce((sum, size) => sum + size, 0)
    for (const threads of [1, 2, 3]) {
      const layout = layoutOf(sizes, threads)
      expect(layout.total).toBe(total)
      layout.offsets.forEach((offset, i) =>
        expect(offset).toBe(sizes.slice(0, i).reduce((sum, size) => sum + size, 0)),
      )
      expect(layout.parts[0][0]).toBe(0)
      expect(layout.parts[threads - 1][1]).toBe(sizes.length)
      const counts = layout.parts.map(([from, to], t) => {
        if (t > 0) expect(from).toBe(layout.parts[t - 1][1])
        return sizes.slice(from, to).reduce((sum, size) => sum + size, 0)
      })
      // within the largest variable (2000 × 500) of an equal split
      for (const count of counts) expect(Math.abs(count - total / threads)).toBeLessThan(1e6)
    }
  })

  it('takes the step one thread would take on the whole batch, shares weighted by their rows', async () => {
    // one plain SGD step on 7 images (shares of 3 and 4): a step scaled or weighted wrongly differs
    const data = images(7, 1)
    const config = configOf({
      optimizer: 'sgd',
      momentum: 0,
      learningRate: 0.5,
      batchSize: 7,
      epochs: 1,
    })
    const one = await weightsAfter(data, config, 1)
    const two = await weightsAfter(data, config, 2)
    expect(two.result.threads).toBe(2)
    const initial = createModelFor(config, data.image)
    const start = variablesOf(initial).map((v) => Array.from(v.dataSync()))
    disposeModel(initial)
    one.weights.forEach((values, v) =>
      values.forEach((value, i) => {
        const moved = value - start[v][i]
        expect(two.weights[v][i] - start[v][i]).toBeCloseTo(moved, 6)
      }),
    )
    // the step did move the weights
    expect(one.weights[0].some((value, i) => Math.abs(value - start[0][i]) > 1e-4)).toBe(true)
    expect(two.result.epochs[0].trainLoss).toBeCloseTo(one.result.epochs[0].trainLoss, 5)
  })

  it('trains over several epochs on three threads, the same way twice for a seed', async () => {
    const data = images(96, 2)
    const config = configOf({
      batchSize: 96,
      epochs: 6,
      learningRate: 0.05,
      denoising: { kind: 'mask', level: 0.2 },
    })
    const before = tf.memory().numTensors
    const first = await weightsAfter(data, config, 3)
    expect(tf.memory().numTensors).toBe(before)
    const again = await weightsAfter(data, config, 3)
    expect(first.result.threads).toBe(3)
    expect(again.weights).toEqual(first.weights)
    const losses = first.result.epochs.map((e) => e.trainLoss)
    expect(losses[losses.length - 1]).toBeLessThan(losses[0])
  })

  it('passes a failure on a helper thread to the caller', async () => {
    // a helper built for another architecture cannot read these weights as its variables
    const data = images(8, 3)
    const config = configOf({ batchSize: 8 })
    const model = createModelFor(configOf({ hidden: [5] }), data.image)
    const helpers = TrainHelpers.start(1, {
      variables: variablesOf(model),
      pixels: data.pixels,
      size: data.size,
      image: data.image,
      config,
      backend: 'cpu',
    })!
    try {
      await expect(
        helpers.step(Int32Array.from([0, 1, 2, 3]), [{ from: 0, count: 4 }], 1),
      ).rejects.toThrow(/shape|size/i)
    } finally {
      await helpers.close()
      disposeModel(model)
    }
    await expect(helpers.step(Int32Array.from([0]), [{ from: 0, count: 1 }], 1)).rejects.toThrow(
      /stopped/,
    )
  })
})

describe('how many threads a job gets', () => {
  const config = trainConfig.parse({ hidden: [500, 500, 2000], latent: 10, batchSize: 256 })
  const spec = modelSpec(config, [28, 28, 1])

  it('splits a large job on wasm or cpu over the cores, at most four, at least 32 rows each', () => {
    expect(threadsFor('wasm', config, 60_000, spec, 2)).toBe(2)
    expect(threadsFor('cpu', config, 60_000, spec, 16)).toBe(4)
    expect(
      threadsFor('wasm', trainConfig.parse({ ...config, batchSize: 64 }), 60_000, spec, 16),
    ).toBe(2)
    expect(threadsFor('wasm', config, 60_000, spec, 1)).toBe(1)
  })

  it('keeps one thread on native TensorFlow, for the sparse KL term, and for small jobs', () => {
    expect(threadsFor('tensorflow', config, 60_000, spec, 8)).toBe(1)
    const sparse = trainConfig.parse({ ...config, sparseKL: { rho: 0.05, beta: 3 } })
    expect(threadsFor('wasm', sparse, 60_000, modelSpec(sparse, [28, 28, 1]), 8)).toBe(1)
    expect(threadsFor('wasm', config, 200, spec, 8)).toBe(1)
  })
})
