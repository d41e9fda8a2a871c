// Probes of what codes know about labels: classifiers fitted on some rows and scored on the
// rows held out (sample.ts's holdoutSplit), in tfjs.
import * as tf from '@tensorflow/tfjs-core'
import type { Holdout } from './sample'

/**
 * kNN accuracy, 80/20 holdout: each held-out row's class against the vote of its k nearest
 * fitted rows (ties: the smaller class). Not the leave-one-out kNN accuracy of neighbourhood.ts.
 */
export async function knnHoldout(
  codes: tf.Tensor2D,
  classes: Int32Array,
  { fit, test }: Holdout,
  k = 10,
): Promise<number> {
  const nearest = tf.tidy(() => {
    const a = tf.gather(codes, test)
    const b = tf.gather(codes, fit)
    // ‖a − b‖² = ‖a‖² − 2a·b + ‖b‖²
    const distances = tf.add(
      tf.sub(tf.sum(tf.square(a), 1, true), tf.mul(tf.matMul(a, tf.transpose(b)), 2)),
      tf.reshape(tf.sum(tf.square(b), 1), [1, -1]),
    )
    return tf.topk(tf.neg(distances), Math.min(k, fit.length)).indices
  })
  const predictions = (await nearest.array().finally(() => nearest.dispose())) as number[][]
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

/**
 * Linear probe accuracy, 80/20 holdout: softmax regression fitted on the standardised codes of the
 * fitted rows, scored on the held-out ones.
 */
export async function linearProbe(
  codes: tf.Tensor2D,
  classes: Int32Array,
  classCount: number,
  { fit, test }: Holdout,
): Promise<number> {
  const classified = tf.tidy(() => {
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
    return tf.argMax(tf.add(tf.matMul(tf.gather(x, test), W), b), 1)
  })
  const predicted = await classified.data().finally(() => classified.dispose())
  let right = 0
  test.forEach((row, t) => {
    if (predicted[t] === classes[row]) right++
  })
  return right / test.length
}
