// Deep clustering's loop (clustering/deep-cluster.ts) on images drawn around three prototypes:
// each method finds the groups, refines the network it is given as its method says, reports
// its epochs, and stops on cancel.
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { deepCluster, type DeepClusterOptions } from '../../../../main/core/clustering/deep-cluster'
import { clusteringAccuracy, confusion } from '../../../../main/core/metrics/clusters'
import { disposeModel, layersOf, type Autoencoder } from '../../../../main/core/models/autoencoder'
import { trainConfig } from '../../../../main/core/shared/train-config'
import { seededRandom } from '../../../../main/core/shared/random'
import { train } from '../../../../main/core/training/train'
import { type TrainingData } from '../../../../main/core/training/step'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const side = 4
const groups = 3
const perGroup = 60

/** 4×4 grey images near one of three prototypes, with their group as label. */
function blobs(seed: number): { data: TrainingData; labels: Int32Array } {
  const random = seededRandom(seed)
  const size = side * side
  const prototypes = Array.from({ length: groups }, () =>
    Float64Array.from({ length: size }, () => (random() < 0.5 ? 0.15 : 0.85)),
  )
  const count = groups * perGroup
  const pixels = new Uint8Array(count * size)
  const labels = new Int32Array(count)
  for (let i = 0; i < count; i++) {
    const group = i % groups
    labels[i] = group
    for (let p = 0; p < size; p++) {
      const value = prototypes[group][p] + (random() - 0.5) * 0.3
      pixels[i * size + p] = Math.round(255 * Math.min(1, Math.max(0, value)))
    }
  }
  return { data: { pixels, count, size, image: [side, side, 1] }, labels }
}

const config = trainConfig.parse({
  hidden: [12],
  latent: 3,
  epochs: 8,
  batchSize: 32,
  learningRate: 0.01,
  validationSplit: 0,
  seed: 3,
})

async function pretrained(data: TrainingData): Promise<Autoencoder> {
  return (await train(data, config)).model
}

const options = (method: DeepClusterOptions['method']): DeepClusterOptions => ({
  method,
  k: groups,
  nInit: 3,
  seed: 5,
  epochs: 4,
  weight: method === 'dec' ? 1 : 0.5,
  tolerance: 0,
  updateInterval: 3,
  learningRate: 0.001,
})

const weightsOf = (layers: Autoencoder['encoder']) =>
  layers.map((layer) => Array.from(layer.W.dataSync()))

describe('deep clustering', () => {
  for (const method of ['dcn', 'dec', 'idec'] as const)
    it(`${method}: finds the three groups and refines the network`, async () => {
      const { data, labels } = blobs(1)
      const model = await pretrained(data)
      const encoderBefore = weightsOf(model.encoder)
      const decoderBefore = weightsOf(model.decoder)
      const tensors = tf.memory().numTensors
      const fractions: number[] = []
      const result = await deepCluster(model, data, config, {
        ...options(method),
        onProgress: (f) => fractions.push(f),
      })
      const table = confusion(result.assignments, labels, { clusters: groups, classes: groups })
      expect(clusteringAccuracy(table)).toBeGreaterThan(0.95)
      expect(result.history).toHaveLength(4) // tolerance 0: every epoch runs
      for (const epoch of result.history) {
        expect(Number.isFinite(epoch.loss)).toBe(true)
        expect(epoch.clusterLoss).toBeGreaterThan(0)
        expect(epoch.changed).toBeGreaterThanOrEqual(0)
        expect(epoch.changed).toBeLessThanOrEqual(1)
      }
      expect(result.codes).toHaveLength(data.count * config.latent)
      // each distance is to the own centre: no row is nearer another cluster's mean of codes
      expect(result.distances.every((d) => d >= 0 && Number.isFinite(d))).toBe(true)
      const changed = (before: number[][], layers: Autoencoder['encoder']) =>
        weightsOf(layers).some((w, l) => w.some((v, i) => v !== before[l][i]))
      expect(changed(encoderBefore, model.encoder)).toBe(true)
      // DEC trains the encoder alone; the joint objective and IDEC keep training the decoder
      expect(changed(decoderBefore, model.decoder)).toBe(method !== 'dec')
      expect(fractions.at(-1)).toBeGreaterThanOrEqual(0.95)
      expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true)
      expect(tf.memory().numTensors).toBe(tensors)
      disposeModel(model)
    })

  for (const method of ['dcn', 'dec', 'idec'] as const)
    it(`${method}: refines the same on three threads as on one, batch by batch`, async () => {
      const { data } = blobs(5)
      const refined = async (threads: number) => {
        const model = await pretrained(data)
        const result = await deepCluster(model, data, config, { ...options(method), threads })
        const weights = weightsOf([...model.encoder, ...model.decoder])
        disposeModel(model)
        return { result, weights }
      }
      const one = await refined(1)
      const three = await refined(3)
      expect(one.result.threads).toBe(1)
      expect(three.result.threads).toBe(3)
      // no noise in this objective: the shares' rows-weighted mean is the whole batch's step
      three.result.history.forEach((epoch, e) => {
        expect(epoch.loss).toBeCloseTo(one.result.history[e].loss, 4)
        expect(epoch.clusterLoss).toBeCloseTo(one.result.history[e].clusterLoss, 4)
      })
      three.weights.forEach((layer, l) =>
        layer.forEach((w, i) => expect(w).toBeCloseTo(one.weights[l][i], 4)),
      )
      // DCN's centres moved by the shares' codes in the batch's order, as by the whole batch's
      const agree = one.result.assignments.filter((c, i) => c === three.result.assignments[i])
      expect(agree.length).toBe(data.count)
    })

  it('dcn pulls the codes towards their centres', async () => {
    const { data } = blobs(2)
    const model = await pretrained(data)
    const result = await deepCluster(model, data, config, { ...options('dcn'), weight: 2 })
    const [first, last] = [result.history[0], result.history.at(-1)!]
    expect(last.clusterLoss).toBeLessThan(first.clusterLoss)
    disposeModel(model)
  })

  it('stops early once the clusters stop changing', async () => {
    const { data } = blobs(3)
    const model = await pretrained(data)
    const result = await deepCluster(model, data, config, {
      ...options('idec'),
      epochs: 20,
      tolerance: 0.5,
    })
    expect(result.history.length).toBeLessThan(20)
    expect(result.history.at(-1)!.changed).not.toBeNull()
    disposeModel(model)
  })

  it('checks the tolerance each time P is updated, every updateInterval iterations', async () => {
    const { data } = blobs(3)
    const model = await pretrained(data)
    const base = await pretrained(data)
    const checkpoint = weightsOf([...base.encoder, ...base.decoder])
    disposeModel(base)
    // 6 batches an epoch: with T = 3 the first check comes halfway through epoch 1
    const early = await deepCluster(model, data, config, {
      ...options('idec'),
      epochs: 20,
      tolerance: 0.5,
    })
    expect(early.stopped).toBe('tolerance')
    expect(early.iterations).toBe(3)
    expect(early.history).toHaveLength(1)
    expect(early.history[0].changed).toBeLessThan(0.5)
    disposeModel(model)
    // T longer than an epoch is cut to one epoch: the first check comes as epoch 2 begins
    const again = await pretrained(data)
    expect(weightsOf([...again.encoder, ...again.decoder])).toEqual(checkpoint)
    const late = await deepCluster(again, data, config, {
      ...options('idec'),
      epochs: 20,
      tolerance: 0.5,
      updateInterval: 1000,
    })
    expect(late.stopped).toBe('tolerance')
    expect(late.iterations).toBe(6)
    // with the tolerance never met, every epoch runs
    const full = await deepCluster(again, data, config, { ...options('idec'), epochs: 3 })
    expect(full.stopped).toBe('epochs')
    expect(full.iterations).toBe(18)
    expect(full.history).toHaveLength(3)
    disposeModel(again)
  })

  it('says how far it moved from the k-means it started from', async () => {
    const { data } = blobs(6)
    const model = await pretrained(data)
    const result = await deepCluster(model, data, config, options('idec'))
    let differ = 0
    for (let i = 0; i < data.count; i++) if (result.start[i] !== result.assignments[i]) differ++
    expect(result.moved).toBeCloseTo(differ / data.count, 10)
    expect(result.start).toHaveLength(data.count)
    disposeModel(model)
  })

  it("scales IDEC's γ to the reconstruction's sum; DEC's weight stays 1", async () => {
    const { data } = blobs(7)
    const applied = async (method: 'idec' | 'dec' | 'dcn', reconstruction: 'mse' | 'bce') => {
      const own = trainConfig.parse({ ...config, reconstruction })
      const model = await pretrained(data)
      const result = await deepCluster(model, data, own, { ...options(method), epochs: 1 })
      disposeModel(model)
      return result.appliedWeight
    }
    const values = side * side
    // the papers' mean over the image's values is ours divided by values/2 (½Σ) or values (Σ)
    expect(await applied('idec', 'mse')).toBeCloseTo((0.5 * values) / 2, 10)
    expect(await applied('idec', 'bce')).toBeCloseTo(0.5 * values, 10)
    expect(await applied('dec', 'mse')).toBe(1)
    expect(await applied('dcn', 'mse')).toBe(0.5)
  })

  it('stops on cancel and leaves no tensors behind', async () => {
    const { data } = blobs(4)
    const model = await pretrained(data)
    const tensors = tf.memory().numTensors
    const controller = new AbortController()
    const run = deepCluster(model, data, config, {
      ...options('idec'),
      epochs: 50,
      signal: controller.signal,
      onProgress: (f) => {
        if (f > 0.2) controller.abort(new Error('cancelled by the test'))
      },
    })
    await expect(run).rejects.toThrow('cancelled by the test')
    expect(tf.memory().numTensors).toBe(tensors)
    expect(layersOf(model).length).toBe(4)
    disposeModel(model)
  })
})
