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

export function gradientCheck(
  model: Autoencoder,
  x: tf.Tensor,
  noise: StepNoise,
  objective: Objective,
  options: GradCheckOptions = {},
): GradCheckResult {
  const { epsilon = 1e-4, perVariable = 40, floor = 1e-3, extras = {} } = options
  const analytic = tf.tidy(() =>
    lossAndGrads(model, x, noise, objective, extras).grads.map((g) => g.dataSync().slice()),
  )
  const toRef = (layers: Layer[]): RefLayer[] =>
    layers.map((layer) => ({
      W: Float64Array.from(layer.W.dataSync()),
      b: Float64Array.from(layer.b.dataSync()),
      inputs: layer.kind === 'conv' ? sizeOf(layer.inShape) : layer.W.shape[0],
      units: unitsOf(layer),
      activation: layer.activation,
      conv: layer.kind === 'conv' ? layer : undefined,
    }))
  const encoder = toRef(model.encoder)
  const decoder = toRef(model.decoder)
  const inputs = {
    x: Float64Array.from(x.dataSync()),
    input: Float64Array.from(noise.input.dataSync()),
    eps: noise.eps ? Float64Array.from(noise.eps.dataSync()) : null,
    perturbation: noise.perturbation ? Float64Array.from(noise.perturbation.dataSync()) : null,
    batch: x.shape[0],
  }
  const term = extras.cluster
  const cluster = term && {
    kind: term.kind,
    weight: term.weight,
    centroids: Float64Array.from(term.centroids.dataSync()),
    k: term.centroids.shape[0],
    target: term.kind === 'kl' ? Float64Array.from(term.target.dataSync()) : null,
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
