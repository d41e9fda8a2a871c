// A dense autoencoder: encoder d → hidden… → code, decoder code → …hidden → d (sigmoid output).
// Pure functions over variables, in the tfjs-examples style; the backend is chosen by the caller.
import * as tf from '@tensorflow/tfjs-core'
import { createDenseLayer, denseForward, type Activation, type DenseLayer } from './dense'

export interface DenseSpec {
  /** pixels per image (H·W·C) */
  inputSize: number
  /** encoder widths, e.g. [256] or [512, 256]; the decoder mirrors them */
  hidden: number[]
  /** latent size z, 2–256 */
  latent: number
  activation: Activation
  /** activation of the code layer: linear by default, sigmoid for the KL sparsity penalty */
  codeActivation: Activation
  /** a VAE's encoder outputs mean and log-variance, 2·z numbers */
  variational: boolean
}

export interface DenseAutoencoder {
  spec: DenseSpec
  encoder: DenseLayer[]
  decoder: DenseLayer[]
}

export function createDenseAutoencoder(spec: DenseSpec, seed: number): DenseAutoencoder {
  const encoderWidths = [spec.inputSize, ...spec.hidden]
  const encoder = spec.hidden.map((units, i) =>
    createDenseLayer(encoderWidths[i], units, spec.activation, seed * 1000 + i),
  )
  encoder.push(
    createDenseLayer(
      encoderWidths[encoderWidths.length - 1],
      spec.variational ? 2 * spec.latent : spec.latent,
      spec.variational ? 'linear' : spec.codeActivation,
      seed * 1000 + 100,
    ),
  )
  const decoderWidths = [spec.latent, ...[...spec.hidden].reverse(), spec.inputSize]
  const last = decoderWidths.length - 2
  const decoder = decoderWidths
    .slice(1)
    .map((units, i) =>
      createDenseLayer(
        decoderWidths[i],
        units,
        i === last ? 'sigmoid' : spec.activation,
        seed * 1000 + 200 + i,
      ),
    )
  return { spec, encoder, decoder }
}

export function layersOf(model: DenseAutoencoder): DenseLayer[] {
  return [...model.encoder, ...model.decoder]
}

export function variablesOf(model: DenseAutoencoder): tf.Variable[] {
  return layersOf(model).flatMap((layer) => [layer.W, layer.b])
}

export function disposeModel(model: DenseAutoencoder): void {
  for (const variable of variablesOf(model)) variable.dispose()
}

/** The activations of a chain of layers: [x, out₁, …, outₙ]. */
export function forwardChain(x: tf.Tensor, layers: DenseLayer[]): tf.Tensor[] {
  const outputs = [x]
  for (const layer of layers) outputs.push(denseForward(outputs[outputs.length - 1], layer))
  return outputs
}

/** The codes of a batch: the mean for a VAE, the code layer otherwise. */
export function encode(model: DenseAutoencoder, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const chain = forwardChain(x, model.encoder)
    const code = chain[chain.length - 1]
    return model.spec.variational ? tf.slice(code, [0, 0], [-1, model.spec.latent]) : code
  })
}

export function decode(model: DenseAutoencoder, z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const chain = forwardChain(z, model.decoder)
    return chain[chain.length - 1]
  })
}

export function reconstruct(model: DenseAutoencoder, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => decode(model, encode(model, x)))
}
