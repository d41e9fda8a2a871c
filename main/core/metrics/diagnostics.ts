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

async function saturation(chain: tf.Tensor[], model: Autoencoder): Promise<number | null> {
  const counts: tf.Tensor[] = []
  let total = 0
  model.encoder.forEach((layer, i) => {
    const range =
      model.spec.variational && i === model.encoder.length - 1
        ? undefined
        : bounds[layer.activation]
    if (!range) return
    const h = chain[i + 1]
    const [low, high] = range
    counts.push(
      tf.tidy(() =>
        tf.sum(tf.logicalOr(tf.lessEqual(h, low + 0.05), tf.greaterEqual(h, high - 0.05))),
      ),
    )
    total += h.size
  })
  let near = 0
  for (const count of counts) near += (await count.data())[0]
  tf.dispose(counts)
  return total ? near / total : null
}

/** The sum, in order, of scalars read back at once. */
async function sumOf(scalars: tf.Tensor[]): Promise<number> {
  const stacked = tf.stack(scalars)
  tf.dispose(scalars)
  const values = await stacked.data().finally(() => stacked.dispose())
  let sum = 0
  for (const value of values) sum += value
  return sum
}

/** Mean Frobenius norm of ∂code/∂x: the product of W_l·diag(act'_l) down the encoder, per image. */
async function jacobianNorm(x: tf.Tensor, model: Autoencoder, images: number): Promise<number> {
  if (model.encoder.some((layer) => layer.kind === 'conv'))
    return jacobianNormByBackprop(x, model, Math.min(images, 20))
  const norms = tf.tidy(() => {
    const chain = forwardChain(tf.slice(x, [0, 0], [images, -1]), model.encoder)
    const slopes = model.encoder.map((layer, i) => activationSlope(chain[i + 1], layer.activation))
    const norms: tf.Tensor[] = []
    for (let n = 0; n < images; n++) {
      let J: tf.Tensor | null = null
      model.encoder.forEach((layer, i) => {
        const slope = slopes[i]
        const step = slope ? tf.mul(layer.W, tf.slice(slope, [n, 0], [1, -1])) : layer.W
        J = J ? tf.matMul(J, step) : step
      })
      J = J!
      if (model.spec.variational) J = tf.slice(J, [0, 0], [-1, model.spec.latent])
      norms.push(tf.norm(J))
    }
    return norms
  })
  return (await sumOf(norms)) / images
}

/**
 * The same for any encoder: the rows of J are the input gradients of each code unit, so one
 * backward pass of z copies of the image, seeded with the identity, gives all of J.
 */
async function jacobianNormByBackprop(
  x: tf.Tensor,
  model: Autoencoder,
  images: number,
): Promise<number> {
  const { latent } = model.spec
  const norms: tf.Tensor[] = []
  for (let n = 0; n < images; n++)
    norms.push(
      tf.tidy(() => {
        const copies = tf.tile(tf.slice(x, [n, 0], [1, -1]), [latent, 1])
        const chain = forwardChain(copies, model.encoder)
        const width = chain[chain.length - 1].shape[1]!
        let grad: tf.Tensor = tf.eye(latent, width)
        for (let i = model.encoder.length - 1; i >= 0; i--)
          grad = layerBackward(grad, chain[i], chain[i + 1], model.encoder[i], {
            needInput: true,
          }).dx!
        return tf.norm(grad)
      }),
    )
  return (await sumOf(norms)) / images
}

/**
 * `x`: a sample of images as floats (rows × d); `labels`: theirs, or nulls. Up to 5,000 rows for
 * the probes, 100 for the Jacobian.
 */
export async function diagnose(
  model: Autoencoder,
  x: tf.Tensor2D,
  labels: (string | null)[],
): Promise<Diagnostics> {
  // the scope spans awaits (the reads back); nothing else in the training process makes tensors then
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
    const scalar = async (t: tf.Tensor) => (await t.data())[0]
    return {
      saturated: await saturation(chain, model),
      jacobianNorm: await jacobianNorm(x, model, Math.min(100, x.shape[0])),
      meanActivation:
        model.encoder[model.encoder.length - 1].activation === 'sigmoid' && !model.spec.variational
          ? await scalar(tf.mean(code))
          : null,
      activeDimensions: model.spec.variational
        ? await scalar(tf.sum(tf.cast(tf.greater(tf.moments(mean, 0).variance, 0.01), 'int32')))
        : null,
      linearProbe: classes
        ? await linearProbe(mean as tf.Tensor2D, classes, names.length, split!)
        : null,
      knn: classes ? await knnHoldout(mean as tf.Tensor2D, classes, split!, probeSettings.k) : null,
      sample: x.shape[0],
    }
  } finally {
    tf.engine().endScope()
  }
}
