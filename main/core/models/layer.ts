// A layer of either kind behind one forward/backward pair, so the objective and the training
// loop see a chain of flat [batch, features] activations whatever the architecture.
import type * as tf from '@tensorflow/tfjs-core'
import { convBackward, convForward, type ConvLayer } from './conv'
import { denseBackward, denseForward, type DenseGrads, type DenseLayer } from './dense'

export type Layer = DenseLayer | ConvLayer

export function layerForward(x: tf.Tensor, layer: Layer): tf.Tensor {
  return layer.kind === 'conv' ? convForward(x, layer) : denseForward(x, layer)
}

export function layerBackward(
  grad: tf.Tensor,
  x: tf.Tensor,
  y: tf.Tensor,
  layer: Layer,
  options: { needInput: boolean; preActivation?: boolean },
): DenseGrads {
  return layer.kind === 'conv'
    ? convBackward(grad, x, y, layer, options)
    : denseBackward(grad, x, y, layer, options)
}

/** Units of the layer's output per image. */
export function unitsOf(layer: Layer): number {
  return layer.kind === 'conv'
    ? layer.outShape[0] * layer.outShape[1] * layer.outShape[2]
    : layer.W.shape[1]
}
