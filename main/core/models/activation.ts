// The activations a layer can use, and their slopes for the hand-written backward passes.
import * as tf from '@tensorflow/tfjs-core'
import type { Activation } from '../shared/train-config'

export type { Activation }

/** d act / d pre-activation, as a function of the layer's output y; null for linear. */
export function activationSlope(y: tf.Tensor, activation: Activation): tf.Tensor | null {
  switch (activation) {
    case 'relu':
      return tf.step(y)
    case 'sigmoid':
      return tf.mul(y, tf.sub(1, y))
    case 'tanh':
      return tf.sub(1, tf.square(y))
    case 'elu':
      return tf.where(tf.greater(y, 0), tf.onesLike(y), tf.add(y, 1))
    case 'linear':
      return null
  }
}
