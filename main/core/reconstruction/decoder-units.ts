// What the first layer's units of a dense model learned, as Ng's sparse-autoencoder notes show
// it: each unit's weights drawn as an image, and the stored images that drive the unit hardest.
import * as tf from '@tensorflow/tfjs-core'
import { StudioError } from '../errors'
import type { Autoencoder } from '../models/autoencoder'
import type { DenseLayer } from '../models/dense'
import { valuesOf, type BatchOptions } from './decoder'
import { errorOrder } from './decoder-errors'

function firstDenseLayer(model: Autoencoder): DenseLayer {
  const first = model.encoder[0]
  if (first.kind !== 'dense')
    throw new StudioError(
      'bad-params',
      'Units are drawn as images for dense models; this model starts with a convolution.',
    )
  return first
}

/**
 * One image per first-layer unit: its weights, in the input's pixel layout, as bytes with zero at
 * mid-grey (128) and the unit's largest |weight| at 0 or 255. Scaling each unit by its own largest
 * |weight| (as the UFLDL display_network does) shows its pattern, and the fixed zero keeps the
 * sign readable: light pixels excite the unit, dark ones inhibit it.
 */
export async function firstLayerFilters(
  model: Autoencoder,
): Promise<{ count: number; images: Uint8Array }> {
  const layer = firstDenseLayer(model)
  const [inputs, units] = layer.W.shape
  const weights = (await layer.W.data()) as Float32Array // inputs × units, row-major
  const images = new Uint8Array(units * inputs)
  for (let u = 0; u < units; u++) {
    let largest = 0
    for (let i = 0; i < inputs; i++) largest = Math.max(largest, Math.abs(weights[i * units + u]))
    const gain = largest > 0 ? 127.5 / largest : 0
    for (let i = 0; i < inputs; i++)
      images[u * inputs + i] = Math.round(127.5 + weights[i * units + u] * gain)
  }
  return { count: units, images }
}

/**
 * The positions of the k images (of `positions`, default all) whose input to the unit, w·x + b,
 * is largest. Every activation here is monotonic, so this is also the order of its output, and
 * it still separates the images that a relu clips to 0. One weight column per batch: a matMul
 * of N×d by d×1, not the whole layer.
 */
export async function topActivating(
  model: Autoencoder,
  pixels: Uint8Array,
  size: number,
  unit: number,
  k: number,
  options: BatchOptions & { positions?: Int32Array } = {},
): Promise<Int32Array> {
  const layer = firstDenseLayer(model)
  const units = layer.W.shape[1]
  if (!Number.isInteger(unit) || unit < 0 || unit >= units)
    throw new StudioError('bad-params', `Choose a unit from 0 to ${units - 1}.`)
  const count = options.positions?.length ?? pixels.length / size
  const at = (r: number) => (options.positions ? options.positions[r] : r)
  const batch = Math.max(1, Math.min(options.batch ?? 4096, count))
  const drive = new Float32Array(count)
  const buffer = new Float32Array(batch * size)
  const bias = (await layer.b.data())[unit]
  const column = tf.tidy(() => tf.slice(layer.W, [0, unit], [size, 1]))
  try {
    for (let from = 0; from < count; from += batch) {
      const rows = Math.min(batch, count - from)
      for (let r = 0; r < rows; r++) {
        const source = at(from + r) * size
        for (let j = 0; j < size; j++) buffer[r * size + j] = pixels[source + j] / 255
      }
      const values = await valuesOf(() =>
        tf.matMul(tf.tensor2d(buffer.subarray(0, rows * size), [rows, size]), column),
      )
      for (let r = 0; r < rows; r++) drive[from + r] = values[r] + bias
    }
  } finally {
    column.dispose()
  }
  const best = errorOrder(drive, { worstFirst: true }).subarray(0, Math.min(k, count))
  return options.positions ? best.map((r) => options.positions![r]) : best
}
