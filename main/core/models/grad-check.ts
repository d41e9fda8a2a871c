// Gradient check (docs/models.md, "Gradient check"): each analytic gradient of objective.ts against
// (J(θ + ε·e_i) − J(θ − ε·e_i)) / 2ε, with J computed in float64 by reference.ts.
import * as tf from '@tensorflow/tfjs-core'
import type { Autoencoder } from './autoencoder'
import { lossAndGrads, type Objective, type StepExtras, type StepNoise } from './objective'
import { unitsOf, type Layer } from './layer'
import { referenceLoss, type RefLayer } from './reference'

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1)

export interface GradCheckResult {
  /** the largest |analytic − numeric| / max(|analytic|, |numeric|, floor) over checked entries */
  maxRelativeError: number
  checked: number
  worst: { variable: string; index: number; analytic: number; numeric: number }
}

export interface GradCheckOptions {
  epsilon?: number
  /** entries per variable, chosen evenly; all when the variable is smaller */
  perVariable?: number
  /** gradients smaller than this are compared absolutely, so float32 noise near 0 is not "100%" */
  floor?: number
  /** a deep-clustering term on the code, checked with the rest */
  extras?: StepExtras
}

/** A tensor's values in float64, read back without blocking (WebGPU has no synchronous read). */
async function float64Of(tensor: tf.Tensor): Promise<Float64Array> {
  return Float64Array.from(await tensor.data())
}

export async function gradientCheck(
  model: Autoencoder,
  x: tf.Tensor,
  noise: StepNoise,
  objective: Objective,
  options: GradCheckOptions = {},
): Promise<GradCheckResult> {
  const { epsilon = 1e-4, perVariable = 40, floor = 1e-3, extras = {} } = options
  const grads = tf.tidy(() => lossAndGrads(model, x, noise, objective, extras).grads)
  const analytic = await Promise.all(grads.map((g) => g.data())).finally(() => tf.dispose(grads))
  const toRef = (layers: Layer[]): Promise<RefLayer[]> =>
    Promise.all(
      layers.map(async (layer) => ({
        W: await float64Of(layer.W),
        b: await float64Of(layer.b),
        inputs: layer.kind === 'conv' ? sizeOf(layer.inShape) : layer.W.shape[0],
        units: unitsOf(layer),
        activation: layer.activation,
        conv: layer.kind === 'conv' ? layer : undefined,
      })),
    )
  const encoder = await toRef(model.encoder)
  const decoder = await toRef(model.decoder)
  const inputs = {
    x: await float64Of(x),
    input: await float64Of(noise.input),
    eps: noise.eps ? await float64Of(noise.eps) : null,
    perturbation: noise.perturbation ? await float64Of(noise.perturbation) : null,
    batch: x.shape[0],
  }
  const term = extras.cluster
  const cluster = term && {
    kind: term.kind,
    weight: term.weight,
    centroids: await float64Of(term.centroids),
    k: term.centroids.shape[0],
    target: term.kind === 'kl' ? await float64Of(term.target) : null,
  }
  const J = () =>
    referenceLoss(model.spec, encoder, decoder, inputs, objective, {
      cluster,
      encoderOnly: extras.encoderOnly,
    })
  // the same variables, in the same order, as lossAndGrads reports its gradients
  const parameters = (extras.encoderOnly ? encoder : [...encoder, ...decoder]).flatMap((layer) => [
    layer.W,
    layer.b,
  ])
  const names = parameters.map((_, i) => `${i % 2 ? 'b' : 'W'}${Math.floor(i / 2)}`)
  if (cluster && term.centroids instanceof tf.Variable && term.kind === 'kl') {
    parameters.push(cluster.centroids)
    names.push('centroids')
  }
  if (parameters.length !== analytic.length)
    throw new Error(`${analytic.length} gradients for ${parameters.length} parameters`)

  let result: GradCheckResult = {
    maxRelativeError: 0,
    checked: 0,
    worst: { variable: '', index: -1, analytic: 0, numeric: 0 },
  }
  parameters.forEach((values, p) => {
    const step = Math.max(1, Math.floor(values.length / perVariable))
    for (let i = 0; i < values.length; i += step) {
      const saved = values[i]
      values[i] = saved + epsilon
      const plus = J()
      values[i] = saved - epsilon
      const minus = J()
      values[i] = saved
      const numeric = (plus - minus) / (2 * epsilon)
      const a = analytic[p][i]
      const error = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), floor)
      result.checked++
      if (error > result.maxRelativeError)
        result = {
          ...result,
          maxRelativeError: error,
          worst: { variable: names[p], index: i, analytic: a, numeric },
        }
    }
  })
  return result
}
