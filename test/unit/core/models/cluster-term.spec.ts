// The deep-clustering terms (models/cluster-term.ts): their gradients through the whole network
// against finite differences of the float64 reference, and DEC's soft assignment and target.
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createAutoencoder,
  disposeModel,
  encode,
  type AutoencoderSpec,
} from '../../../../main/core/models/autoencoder'
import {
  softAssignment,
  squaredDistances,
  targetDistribution,
  type ClusterTerm,
} from '../../../../main/core/models/cluster-term'
import { gradientCheck } from '../../../../main/core/models/grad-check'
import { plainObjective, tinyDenseSpec } from './tiny-models'
import {
  lossAndGrads,
  type Objective,
  type StepNoise,
} from '../../../../main/core/models/objective'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const mse = plainObjective
const dense = tinyDenseSpec({ activation: 'tanh' })

const k = 3
const rows = 5

/** A KL target from the batch's own soft assignment, sharpened as DEC does. */
function targetFor(code: tf.Tensor, centroids: tf.Tensor): tf.Tensor {
  const q = tf.tidy(() => softAssignment(code, centroids).q)
  const values = q.dataSync() as Float32Array
  const frequencies = new Float64Array(k)
  for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) frequencies[j] += values[i * k + j]
  return tf.tensor2d(targetDistribution(values, rows, k, frequencies), [rows, k])
}

interface Case {
  name: string
  spec?: Partial<AutoencoderSpec>
  objective?: Partial<Objective>
  term: 'distance' | 'kl'
  /** the centres are trained with the network (DEC, IDEC) */
  trainedCentres?: boolean
  encoderOnly?: boolean
  noise?: 'mask'
}

const cases: Case[] = [
  { name: 'joint k-means term (DCN), MSE', term: 'distance' },
  {
    name: 'joint k-means term, denoising + weight decay, BCE',
    term: 'distance',
    objective: { weightDecay: 0.2, reconstruction: 'bce' },
    noise: 'mask',
  },
  { name: 'IDEC: KL + reconstruction, centres trained', term: 'kl', trainedCentres: true },
  {
    name: 'DEC: KL alone, encoder only, centres trained',
    term: 'kl',
    trainedCentres: true,
    encoderOnly: true,
  },
  {
    name: 'IDEC on a VAE (on the means)',
    term: 'kl',
    trainedCentres: true,
    spec: { variational: true },
  },
  {
    name: 'DEC on a VAE, encoder only',
    term: 'kl',
    trainedCentres: true,
    encoderOnly: true,
    spec: { variational: true },
  },
  {
    name: 'IDEC on a conv model',
    term: 'kl',
    trainedCentres: true,
    spec: { inputSize: 30, image: [6, 5, 1], filters: [2, 3], hidden: [] },
  },
  {
    name: 'joint k-means term on a conv model',
    term: 'distance',
    spec: { inputSize: 30, image: [6, 5, 1], filters: [2], hidden: [4] },
  },
]

describe('gradient check of the deep-clustering terms', () => {
  for (const testCase of cases)
    it(testCase.name, async () => {
      const spec = { ...dense, ...testCase.spec }
      const objective = { ...mse, ...testCase.objective }
      const model = createAutoencoder(spec, 11)
      const x = tf.randomUniform([rows, spec.inputSize], 0.05, 0.95, 'float32', 1)
      const input =
        testCase.noise === 'mask'
          ? tf.mul(x, tf.step(tf.sub(tf.randomUniform(x.shape, 0, 1, 'float32', 2), 0.3)))
          : x
      const noise: StepNoise = {
        input,
        eps: spec.variational ? tf.randomNormal([rows, spec.latent], 0, 1, 'float32', 3) : null,
        perturbation: null,
      }
      // centres near the codes, so that every term and every centre matters
      const code = encode(model, input)
      const start = tf.add(
        tf.slice(code, [0, 0], [k, spec.latent]),
        tf.randomNormal([k, spec.latent], 0, 0.3, 'float32', 5),
      )
      const centroids = testCase.trainedCentres ? tf.variable(start) : start
      const term: ClusterTerm =
        testCase.term === 'distance'
          ? { kind: 'distance', weight: 0.7, centroids }
          : { kind: 'kl', weight: 0.9, centroids, target: targetFor(code, centroids) }
      const result = await gradientCheck(model, x, noise, objective, {
        extras: { cluster: term, encoderOnly: testCase.encoderOnly },
      })
      expect(result.checked).toBeGreaterThan(20)
      expect(result.maxRelativeError, JSON.stringify(result.worst)).toBeLessThan(1e-2)
      disposeModel(model)
      centroids.dispose()
    })

  it('moves the encoder and the centres, and leaves the decoder to the reconstruction', () => {
    // A term that the step and the reference both ignored would pass the check above.
    const model = createAutoencoder(dense, 11)
    const x = tf.randomUniform([rows, dense.inputSize], 0.05, 0.95, 'float32', 1)
    const noise: StepNoise = { input: x, eps: null, perturbation: null }
    const centroids = tf.variable(tf.randomNormal([k, dense.latent], 0, 0.5, 'float32', 5))
    const gradsWith = (weight: number, encoderOnly = false) =>
      tf.tidy(() => {
        const target = targetFor(encode(model, x), centroids)
        const step = lossAndGrads(model, x, noise, mse, {
          cluster: { kind: 'kl', weight, centroids, target },
          encoderOnly,
        })
        return step.grads.map((g) => Array.from(g.dataSync()))
      })
    const without = gradsWith(0)
    const withTerm = gradsWith(1)
    const encoderOnly = gradsWith(1, true)
    const layers = 2 * (dense.hidden.length + 1) // W and b of each encoder layer
    const differs = (a: number[], b: number[]) => a.some((v, i) => Math.abs(v - b[i]) > 1e-6)
    expect(differs(without[0], withTerm[0])).toBe(true) // first encoder layer
    expect(differs(without.at(-1)!, withTerm.at(-1)!)).toBe(true) // the centres
    expect(withTerm.at(-2)).toEqual(without.at(-2)) // the decoder's last bias
    expect(encoderOnly).toHaveLength(layers + 1)
    disposeModel(model)
    centroids.dispose()
  })
})

describe('soft assignment and target distribution', () => {
  it('computes squared distances to every centre', () => {
    const code = tf.tensor2d([0, 0, 3, 4, 1, 1], [3, 2])
    const centroids = tf.tensor2d([0, 0, 3, 0], [2, 2])
    expect(Array.from(squaredDistances(code, centroids).dataSync())).toEqual([0, 9, 25, 16, 2, 5])
  })

  it('gives Student-t probabilities that sum to 1, and a target sharper than them', () => {
    const code = tf.randomNormal([50, 4], 0, 2, 'float32', 9)
    const centroids = tf.randomNormal([k, 4], 0, 2, 'float32', 10)
    const q = softAssignment(code, centroids).q.dataSync() as Float32Array
    // equal cluster frequencies isolate the squaring, which sharpens each row
    const p = targetDistribution(q, 50, k, new Float64Array(k).fill(1))
    for (let i = 0; i < 50; i++) {
      const rowQ = q.subarray(i * k, (i + 1) * k)
      const rowP = p.subarray(i * k, (i + 1) * k)
      expect(rowQ.reduce((a, b) => a + b)).toBeCloseTo(1, 5)
      expect(rowP.reduce((a, b) => a + b)).toBeCloseTo(1, 5)
      const best = rowQ.indexOf(Math.max(...rowQ))
      expect(rowP.indexOf(Math.max(...rowP))).toBe(best)
      expect(rowP[best]).toBeGreaterThanOrEqual(rowQ[best] - 1e-6)
    }
  })

  it('weighs a row by 1 / cluster frequency in the target, so that large clusters do not win', () => {
    // one row exactly between two centres: the target leans to the rarer cluster
    const q = Float32Array.from([0.5, 0.5])
    const p = targetDistribution(q, 1, 2, Float64Array.from([10, 2]))
    expect(p[1]).toBeGreaterThan(p[0])
    expect(p[0] + p[1]).toBeCloseTo(1, 6)
  })
})
