// Diagnostics a run reports (docs/models.md, "Diagnostics"), computed on a sample.
import * as tf from '@tensorflow/tfjs-core'
import { forwardChain, type Autoencoder } from '../models/autoencoder'
import { layerBackward } from '../models/layer'
import { activationSlope, type Activation } from '../models/activation'
import { knnHoldout, linearProbe } from './probes'
import { holdoutSplit } from './sample'
import { probeSettings } from '../shared/metrics'
import { seededRandom } from '../shared/random'

import type { Diagnostics } from '../shared/runs'

export type { Diagnostics }

const bounds: Partial<Record<Activation, [number, number]>> = {
  sigmoid: [0, 1],
  tanh: [-1, 1],
  relu: [0, Infinity],
  elu: [-1, Infinity],
}

function saturation(chain: tf.Tensor[], model: Autoencoder): number | null {
  let near = 0
  let total = 0
  model.encoder.forEach((layer, i) => {
    const range =
      model.spec.variational && i === model.encoder.length - 1
        ? undefined
        : bounds[layer.activation]
    if (!range) return
    const h = chain[i + 1]
    const [low, high] = range
    const count = tf.tidy(
      () =>
        tf
          .sum(tf.logicalOr(tf.lessEqual(h, low + 0.05), tf.greaterEqual(h, high - 0.05)))
          .dataSync()[0],
    )
    near += count
    total += h.size
  })
  return total ? near / total : null
}

/** Mean Frobenius norm of ∂code/∂x: the product of W_l·diag(act'_l) down the encoder, per image. */
function jacobianNorm(x: tf.Tensor, model: Autoencoder, images: number): number {
  if (model.encoder.some((layer) => layer.kind === 'conv'))
    return jacobianNormByBackprop(x, model, Math.min(images, 20))
  return tf.tidy(() => {
    const chain = forwardChain(tf.slice(x, [0, 0], [images, -1]), model.encoder)
    const slopes = model.encoder.map((layer, i) => activationSlope(chain[i + 1], layer.activation))
    let sum = 0
    for (let n = 0; n < images; n++) {
      let J: tf.Tensor | null = null
      model.encoder.forEach((layer, i) => {
        const slope = slopes[i]
        const step = slope ? tf.mul(layer.W, tf.slice(slope, [n, 0], [1, -1])) : layer.W
        J = J ? tf.matMul(J, step) : step
      })
      J = J!
      if (model.spec.variational) J = tf.slice(J, [0, 0], [-1, model.spec.latent])
      sum += tf.norm(J).dataSync()[0]
    }
    return sum / images
  })
}

/**
 * The same for any encoder: the rows of J are the input gradients of each code unit, so one
 * backward pass of z copies of the image, seeded with the identity, gives all of J.
 */
function jacobianNormByBackprop(x: tf.Tensor, model: Autoencoder, images: number): number {
  const { latent } = model.spec
  let sum = 0
  for (let n = 0; n < images; n++)
    sum += tf.tidy(() => {
      const copies = tf.tile(tf.slice(x, [n, 0], [1, -1]), [latent, 1])
      const chain = forwardChain(copies, model.encoder)
      const width = chain[chain.length - 1].shape[1]!
      let grad: tf.Tensor = tf.eye(latent, width)
      for (let i = model.encoder.length - 1; i >= 0; i--)
        grad = layerBackward(grad, chain[i], chain[i + 1], model.encoder[i], {
          needInput: true,
        }).dx!
      return tf.norm(grad).dataSync()[0]
    })
  return sum / images
}

/**
 * `x`: a sample of images as floats (rows × d); `labels`: theirs, or nulls. Up to 5,000 rows for
 * the probes, 100 for the Jacobian.
 */
export function diagnose(
  model: Autoencoder,
  x: tf.Tensor2D,
  labels: (string | null)[],
): Diagnostics {
  tf.engine().startScope()
  try {
    const chain = forwardChain(x, model.encoder)
    const code = chain[chain.length - 1]
    const latent = model.spec.latent
    const mean = model.spec.variational ? tf.slice(code, [0, 0], [-1, latent]) : code
    const labelled = labels.every((label) => label !== null) && new Set(labels).size > 1
    const names = [...new Set(labels as string[])].sort()
    const classes = labelled ? Int32Array.from(labels, (label) => names.indexOf(label!)) : null
    // both probes fit on the same 80% and are scored on the same 20%
    const split =
      classes && holdoutSplit(classes.length, seededRandom(probeSettings.seed), probeSettings.fit)
    return {
      saturated: saturation(chain, model),
      jacobianNorm: jacobianNorm(x, model, Math.min(100, x.shape[0])),
      meanActivation:
        model.encoder[model.encoder.length - 1].activation === 'sigmoid' && !model.spec.variational
          ? tf.mean(code).dataSync()[0]
          : null,
      activeDimensions: model.spec.variational
        ? tf.sum(tf.cast(tf.greater(tf.moments(mean, 0).variance, 0.01), 'int32')).dataSync()[0]
        : null,
      linearProbe: classes ? linearProbe(mean as tf.Tensor2D, classes, names.length, split!) : null,
      knn: classes ? knnHoldout(mean as tf.Tensor2D, classes, split!, probeSettings.k) : null,
      sample: x.shape[0],
    }
  } finally {
    tf.engine().endScope()
  }
}
