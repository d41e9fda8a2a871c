// The shape of an autoencoder, layer by layer, as plain data: what createAutoencoder builds
// and what the tfjs export writes, from one description. No tensors here.
import type { Activation } from './activation'

/** [height, width, channels] of one image's activations */
export type Shape3 = [number, number, number]

export interface AutoencoderSpec {
  /** pixels per image (H·W·C) */
  inputSize: number
  /** [height, width, channels] of an image; needed by convolutional models */
  image: Shape3
  /** channels of each stride-2 conv stage, e.g. [32, 64]; empty for a dense model */
  filters: number[]
  /** dense widths after the conv stages (or after the input), e.g. [256]; the decoder mirrors them */
  hidden: number[]
  /** latent size z, 2–256 */
  latent: number
  activation: Activation
  /** activation of the code layer: linear by default, sigmoid for the KL sparsity penalty */
  codeActivation: Activation
  /** a VAE's encoder outputs mean and log-variance, 2·z numbers */
  variational: boolean
}

export interface DenseShape {
  kind: 'dense'
  inputs: number
  units: number
  activation: Activation
}

export interface ConvShape {
  kind: 'conv'
  inShape: Shape3
  outShape: Shape3
  kernel: number
  stride: 1 | 2
  /** nearest-neighbour ×2 before the convolution (decoder layers) */
  upsample: boolean
  activation: Activation
}

export type LayerShape = DenseShape | ConvShape

export const convKernel = 3

/** The spatial size a 'same' convolution of this stride gives: ceil(side / stride). */
export function convOutputSide(side: number, stride: number): number {
  return Math.ceil(side / stride)
}

/** A dense model's image shape for a flat input of this many numbers (tiny test models). */
export function flatImage(size: number): Shape3 {
  return [1, size, 1]
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, side) => product * side, 1)
}

/** Kernel and bias shapes of a layer, as its variables hold them. */
export function parameterShapes(layer: LayerShape): { kernel: number[]; bias: number[] } {
  return layer.kind === 'dense'
    ? { kernel: [layer.inputs, layer.units], bias: [layer.units] }
    : {
        kernel: [layer.kernel, layer.kernel, layer.inShape[2], layer.outShape[2]],
        bias: [layer.outShape[2]],
      }
}

/**
 * Dense: d → hidden… → code, decoder code → …hidden → d. Convolutional: stride-2 conv stages →
 * flatten → hidden… → code, decoder code → …hidden → reshape → (upsample ×2, conv) stages,
 * cropping a side that was rounded up on the way down. Output sigmoid for [0, 1] pixels.
 */
export function architecture(spec: AutoencoderSpec): {
  encoder: LayerShape[]
  decoder: LayerShape[]
} {
  const shapes: Shape3[] = [spec.image]
  for (const channels of spec.filters) {
    const [h, w] = shapes[shapes.length - 1]
    shapes.push([convOutputSide(h, 2), convOutputSide(w, 2), channels])
  }
  const encoder: LayerShape[] = shapes.slice(1).map((outShape, i) => ({
    kind: 'conv',
    inShape: shapes[i],
    outShape,
    kernel: convKernel,
    stride: 2,
    upsample: false,
    activation: spec.activation,
  }))
  const flat = sizeOf(shapes[shapes.length - 1])
  const widths = [flat, ...spec.hidden]
  spec.hidden.forEach((units, i) =>
    encoder.push({ kind: 'dense', inputs: widths[i], units, activation: spec.activation }),
  )
  encoder.push({
    kind: 'dense',
    inputs: widths[widths.length - 1],
    units: spec.variational ? 2 * spec.latent : spec.latent,
    activation: spec.variational ? 'linear' : spec.codeActivation,
  })

  const convolutional = spec.filters.length > 0
  const decoderWidths = [spec.latent, ...[...spec.hidden].reverse(), flat]
  const decoder: LayerShape[] = decoderWidths.slice(1).map((units, i) => ({
    kind: 'dense',
    inputs: decoderWidths[i],
    units,
    activation: !convolutional && i === decoderWidths.length - 2 ? 'sigmoid' : spec.activation,
  }))
  for (let i = shapes.length - 1; i > 0; i--) {
    const [outH, outW, channels] = shapes[i - 1]
    decoder.push({
      kind: 'conv',
      inShape: shapes[i],
      outShape: [outH, outW, i === 1 ? spec.image[2] : channels],
      kernel: convKernel,
      stride: 1,
      upsample: true,
      activation: i === 1 ? 'sigmoid' : spec.activation,
    })
  }
  return { encoder, decoder }
}

/** How many numbers the model's variables hold. */
export function parameterCount(spec: AutoencoderSpec): number {
  const { encoder, decoder } = architecture(spec)
  return [...encoder, ...decoder].reduce((sum, layer) => {
    const { kernel, bias } = parameterShapes(layer)
    return sum + sizeOf(kernel) + sizeOf(bias)
  }, 0)
}
