// Gradient check for every loss term and variant (docs/models.md, "Gradient check"): the
// hand-written gradients of objective.ts against finite differences of the float64 reference.
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createAutoencoder,
  disposeModel,
  type AutoencoderSpec,
} from '../../../../main/core/models/autoencoder'
import { gradientCheck } from '../../../../main/core/models/grad-check'
import { plainObjective, tinyDenseSpec } from './tiny-models'
import {
  analyticContractive,
  type Objective,
  type StepNoise,
} from '../../../../main/core/models/objective'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const plain = plainObjective
const baseSpec = tinyDenseSpec()

function batch(rows: number, cols: number, seed: number): tf.Tensor {
  return tf.randomUniform([rows, cols], 0.05, 0.95, 'float32', seed)
}

interface Case {
  name: string
  spec?: Partial<AutoencoderSpec>
  objective?: Partial<Objective>
  noise?: 'mask'
}

const cases: Case[] = [
  { name: 'Gaussian reconstruction (MSE)' },
  { name: 'Bernoulli reconstruction (BCE)', objective: { reconstruction: 'bce' } },
  { name: 'weight decay', objective: { weightDecay: 0.3 } },
  {
    name: 'sparse KL on a sigmoid code',
    spec: { codeActivation: 'sigmoid' },
    objective: { sparseKL: { rho: 0.05, beta: 3 } },
  },
  { name: 'sparse L1', spec: { codeActivation: 'tanh' }, objective: { sparseL1: 0.2 } },
  { name: 'denoising (zero-masking)', noise: 'mask' },
  {
    name: 'contractive, analytic, one sigmoid layer',
    spec: { hidden: [], codeActivation: 'sigmoid' },
    objective: { contractive: { lambda: 0.5, sigma: 0.1 } },
  },
  {
    name: 'contractive, analytic, one tanh layer',
    spec: { hidden: [], codeActivation: 'tanh' },
    objective: { contractive: { lambda: 0.5, sigma: 0.1 } },
  },
  {
    name: 'contractive, stochastic, deep encoder',
    spec: { hidden: [5], codeActivation: 'tanh', activation: 'tanh' },
    objective: { contractive: { lambda: 0.5, sigma: 0.1 } },
  },
  { name: 'variational (β = 1)', spec: { variational: true } },
  {
    name: 'variational (β = 4, BCE)',
    spec: { variational: true },
    objective: { vaeBeta: 4, reconstruction: 'bce' },
  },
  {
    name: 'denoising + sparse KL + weight decay, elu, two hidden layers',
    spec: { hidden: [5, 4], activation: 'elu', codeActivation: 'sigmoid' },
    objective: { sparseKL: { rho: 0.1, beta: 1 }, weightDecay: 0.1 },
    noise: 'mask',
  },
]

// A 6×5 image exercises the odd side: 5 → 3 → 2 in the encoder, cropped back 4 → 3 → 6 → 5.
const conv: Partial<AutoencoderSpec> = {
  inputSize: 30,
  image: [6, 5, 1],
  filters: [2, 3],
  hidden: [],
}
const convCases: Case[] = [
  { name: 'conv: Gaussian reconstruction (MSE)', spec: conv },
  {
    name: 'conv: BCE + weight decay, tanh, a dense layer after the convs',
    spec: { ...conv, activation: 'tanh', hidden: [4] },
    objective: { reconstruction: 'bce', weightDecay: 0.3 },
  },
  {
    name: 'conv: two channels in, elu, denoising + sparse KL',
    spec: {
      inputSize: 32,
      image: [4, 4, 2],
      filters: [3],
      hidden: [],
      activation: 'elu',
      codeActivation: 'sigmoid',
    },
    objective: { sparseKL: { rho: 0.1, beta: 1 } },
    noise: 'mask',
  },
  {
    name: 'conv: contractive (stochastic)',
    spec: { ...conv, codeActivation: 'tanh' },
    objective: { contractive: { lambda: 0.5, sigma: 0.1 } },
  },
  {
    name: 'conv: variational (β = 2)',
    spec: { ...conv, variational: true },
    objective: { vaeBeta: 2 },
  },
]
cases.push(...convCases)

describe('gradient check of every objective term', () => {
  for (const testCase of cases)
    it(testCase.name, async () => {
      const spec = { ...baseSpec, ...testCase.spec }
      const objective = { ...plain, ...testCase.objective }
      const model = createAutoencoder(spec, 7)
      const x = batch(4, spec.inputSize, 1)
      const input =
        testCase.noise === 'mask' ? tf.mul(x, tf.step(tf.sub(batch(4, spec.inputSize, 2), 0.3))) : x
      const noise: StepNoise = {
        input,
        eps: spec.variational ? tf.randomNormal([4, spec.latent], 0, 1, 'float32', 3) : null,
        perturbation: objective.contractive
          ? tf.randomNormal([4, spec.inputSize], 0, objective.contractive.sigma, 'float32', 4)
          : null,
      }
      const result = await gradientCheck(model, x, noise, objective)
      expect(result.checked).toBeGreaterThan(20)
      expect(result.maxRelativeError, JSON.stringify(result.worst)).toBeLessThan(1e-2)
      disposeModel(model)
    })

  it('uses the analytic contractive term only for one sigmoid/tanh layer', () => {
    const single = createAutoencoder({ ...baseSpec, hidden: [], codeActivation: 'sigmoid' }, 1)
    const deep = createAutoencoder({ ...baseSpec, codeActivation: 'sigmoid' }, 1)
    expect(analyticContractive(single)).toBe(true)
    expect(analyticContractive(deep)).toBe(false)
    disposeModel(single)
    disposeModel(deep)
  })

  it('catches a wrong gradient', async () => {
    // The check must be able to fail: compare the gradients of one objective with the loss of another.
    const model = createAutoencoder(baseSpec, 7)
    const x = batch(4, baseSpec.inputSize, 1)
    const noise: StepNoise = { input: x, eps: null, perturbation: null }
    const right = await gradientCheck(model, x, noise, plain)
    const wrongModel = { ...model, spec: { ...baseSpec } }
    // a decoder whose last layer claims tanh: the reference applies tanh, the gradients assume sigmoid
    wrongModel.decoder = model.decoder.map((layer, i) =>
      i === model.decoder.length - 1 ? { ...layer, activation: 'tanh' as const } : layer,
    )
    const wrong = await gradientCheck(wrongModel, x, noise, plain)
    expect(right.maxRelativeError).toBeLessThan(1e-2)
    expect(wrong.maxRelativeError).toBeGreaterThan(0.1)
    disposeModel(model)
  })
})
