// An autoencoder, dense or convolutional, as architecture.ts describes it: variables and the
// forward pass.
// Pure functions over variables, in the tfjs-examples style; the backend is chosen by the caller.
import * as tf from '@tensorflow/tfjs-core'
import { architecture, type AutoencoderSpec, type LayerShape } from './architecture'
import { createConvLayer } from './conv'
import { createDenseLayer } from './dense'
import { layerForward, type Layer } from './layer'

export { flatImage, type AutoencoderSpec } from './architecture'

export interface Autoencoder {
  spec: AutoencoderSpec
  encoder: Layer[]
  decoder: Layer[]
}

export function createAutoencoder(spec: AutoencoderSpec, seed: number): Autoencoder {
  const { encoder, decoder } = architecture(spec)
  let layerSeed = seed * 1000
  const build = (shape: LayerShape): Layer =>
    shape.kind === 'dense'
      ? createDenseLayer(shape.inputs, shape.units, shape.activation, layerSeed++)
      : createConvLayer(shape.inShape, shape.outShape, shape, layerSeed++)
  return { spec, encoder: encoder.map(build), decoder: decoder.map(build) }
}

export function layersOf(model: Autoencoder): Layer[] {
  return [...model.encoder, ...model.decoder]
}

export function variablesOf(model: Autoencoder): tf.Variable[] {
  return layersOf(model).flatMap((layer) => [layer.W, layer.b])
}

export function disposeModel(model: Autoencoder): void {
  for (const variable of variablesOf(model)) variable.dispose()
}

/** The activations of a chain of layers: [x, out₁, …, outₙ]. */
export function forwardChain(x: tf.Tensor, layers: Layer[]): tf.Tensor[] {
  const outputs = [x]
  for (const layer of layers) outputs.push(layerForward(outputs[outputs.length - 1], layer))
  return outputs
}

/** The codes of a batch: the mean for a VAE, the code layer otherwise. */
export function encode(model: Autoencoder, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const chain = forwardChain(x, model.encoder)
    const code = chain[chain.length - 1]
    return model.spec.variational ? tf.slice(code, [0, 0], [-1, model.spec.latent]) : code
  })
}

export function decode(model: Autoencoder, z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const chain = forwardChain(z, model.decoder)
    return chain[chain.length - 1]
  })
}

export function reconstruct(model: Autoencoder, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => decode(model, encode(model, x)))
}
