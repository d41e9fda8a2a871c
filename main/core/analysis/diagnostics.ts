// Diagnostics a run reports (docs/models.md, "Diagnostics"), computed on a sample.
import * as tf from '@tensorflow/tfjs-core'
import { forwardChain, type Autoencoder } from '../models/autoencoder'
import { layerBackward } from '../models/layer'
import { activationSlope, type Activation } from '../models/activation'
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

/** Splits rows into 80% fit and 20% held out, after a fixed shuffle. */
function holdout(count: number): { fit: number[]; test: number[] } {
  const order = Array.from({ length: count }, (_, i) => i)
  let state = 12345
  for (let i = count - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    const j = state % (i + 1)
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const cut = Math.floor(count * 0.8)
  return { fit: order.slice(0, cut), test: order.slice(cut) }
}

function knnAccuracy(codes: tf.Tensor2D, classes: Int32Array, k = 10): number {
  const { fit, test } = holdout(classes.length)
  const predictions = tf.tidy(() => {
    const a = tf.gather(codes, test)
    const b = tf.gather(codes, fit)
    // ‖a − b‖² = ‖a‖² − 2a·b + ‖b‖²
    const distances = tf.add(
      tf.sub(tf.sum(tf.square(a), 1, true), tf.mul(tf.matMul(a, tf.transpose(b)), 2)),
      tf.reshape(tf.sum(tf.square(b), 1), [1, -1]),
    )
    return tf.topk(tf.neg(distances), Math.min(k, fit.length)).indices.arraySync() as number[][]
  })
  let right = 0
  predictions.forEach((neighbours, t) => {
    const votes = new Map<number, number>()
    for (const n of neighbours) {
      const c = classes[fit[n]]
      votes.set(c, (votes.get(c) ?? 0) + 1)
    }
    const best = [...votes.entries()].sort((p, q) => q[1] - p[1] || p[0] - q[0])[0][0]
    if (best === classes[test[t]]) right++
  })
  return right / test.length
}

function linearProbeAccuracy(codes: tf.Tensor2D, classes: Int32Array, classCount: number): number {
  const { fit, test } = holdout(classes.length)
  return tf.tidy(() => {
    // standardise the codes so one learning rate suits every model
    const { mean, variance } = tf.moments(codes, 0)
    const x = tf.div(tf.sub(codes, mean), tf.sqrt(tf.add(variance, 1e-6)))
    const xFit = tf.gather(x, fit)
    const yFit = tf.oneHot(
      tf.tensor1d(
        fit.map((i) => classes[i]),
        'int32',
      ),
      classCount,
    )
    // softmax regression by gradient descent; its gradient is X^T(P - Y)/n, written out
    let W: tf.Tensor = tf.zeros([codes.shape[1], classCount])
    let b: tf.Tensor = tf.zeros([classCount])
    const xFitT = tf.transpose(xFit)
    for (let step = 0; step < 300; step++) {
      const error = tf.div(tf.sub(tf.softmax(tf.add(tf.matMul(xFit, W), b)), yFit), fit.length)
      W = tf.sub(W, tf.mul(tf.matMul(xFitT, error), 0.5))
      b = tf.sub(b, tf.mul(tf.sum(error, 0), 0.5))
    }
    const predicted = tf.argMax(tf.add(tf.matMul(tf.gather(x, test), W), b), 1).dataSync()
    let right = 0
    test.forEach((row, t) => {
      if (predicted[t] === classes[row]) right++
    })
    return right / test.length
  })
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
      linearProbe: classes ? linearProbeAccuracy(mean as tf.Tensor2D, classes, names.length) : null,
      knn: classes ? knnAccuracy(mean as tf.Tensor2D, classes) : null,
      sample: x.shape[0],
    }
  } finally {
    tf.engine().endScope()
  }
}
