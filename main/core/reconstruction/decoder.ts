// The decoder side of a trained run (issue 6): a model rebuilt from a checkpoint, and batched
// encoding, decoding and reconstruction of stored images straight to bytes, which is what the
// reconstruction gallery, the denoising demo and the generators show. Pure functions over a
// model; the process that runs them and the cache around them live elsewhere.
import * as tf from '@tensorflow/tfjs-core'
import type { NoiseKind } from '../shared/reconstructions'
import { StudioError } from '../errors'
import { decode, disposeModel, encode, reconstruct, type Autoencoder } from '../models/autoencoder'
import { sizeOf, type Shape3 } from '../models/architecture'
import { unpackWeights, type Manifest } from '../training/checkpoint'
import { trainConfig, type TrainConfig } from '../shared/train-config'
import { createModelFor, drawNoise } from '../training/step'
import type { Checkpoint } from '../shared/runs'

export type { NoiseKind } from '../shared/reconstructions'

export interface BatchOptions {
  /** rows per forward pass (default: up to 1024, fewer for wide conv activations) */
  batch?: number
}

/**
 * Rows per forward pass: 1024 when the widest activation allows, else as many as keep it near
 * 32 MB. Throughput is flat from 128 to 4096 rows on wasm (dense about 33,000 images/s, conv
 * about 2,500), while a 1024-row batch of the conv model's 28×28×32 decoder activations
 * holds about 100 MB per tensor, and wasm memory, once grown, is never given back.
 */
function batchFor(model: Autoencoder, asked: number | undefined, rows: number): number {
  let widest = model.spec.inputSize
  for (const layer of [...model.encoder, ...model.decoder])
    widest = Math.max(
      widest,
      layer.kind === 'dense'
        ? layer.W.shape[1]
        : Math.max(sizeOf(layer.outShape), layer.upsample ? 4 * sizeOf(layer.inShape) : 0),
    )
  const batch = asked ?? Math.min(1024, Math.max(64, Math.floor((32 * 2 ** 20) / (4 * widest))))
  return Math.max(1, Math.min(batch, rows))
}

const byteToUnit = Float32Array.from({ length: 256 }, (_, v) => v / 255)

/** The run's model with a stored checkpoint's weights; throws if they do not fit the config. */
export function modelFromCheckpoint(
  config: TrainConfig,
  image: Shape3,
  checkpoint: Pick<Checkpoint, 'weights' | 'manifest'>,
): Autoencoder {
  // inside tidy: tf.variable and Variable.assign leave their source tensors registered, holding
  // a second reference to every weight, which tidy releases (the variables keep theirs)
  let model: Autoencoder | undefined
  try {
    tf.tidy(() => {
      model = createModelFor(config, image)
      unpackWeights(model, checkpoint.weights, checkpoint.manifest as Manifest)
    })
  } catch (error) {
    if (model) disposeModel(model)
    throw error
  }
  return model!
}

/**
 * The values of a tensor computed in tf.tidy, read out, the tensor freed. Not tidy(() =>
 * t.dataSync()): tidy walks a returned typed array element by element looking for tensors,
 * which took 11 of the 12 seconds of a first 70,000-image pass. Read without blocking: WebGPU
 * has no synchronous read in Node (docs/architecture.md, "Backends").
 */
export async function valuesOf(compute: () => tf.Tensor): Promise<Float32Array> {
  const tensor = tf.tidy(compute)
  try {
    return (await tensor.data()) as Float32Array
  } finally {
    tensor.dispose()
  }
}

/** Rows `positions[from…from+count)` of uint8 pixels as floats in [0, 1], into `out`. */
function gatherUnits(
  pixels: Uint8Array,
  size: number,
  positions: Int32Array,
  from: number,
  count: number,
  out: Float32Array,
): Float32Array {
  for (let r = 0; r < count; r++) {
    const source = positions[from + r] * size
    const target = r * size
    for (let k = 0; k < size; k++) out[target + k] = byteToUnit[pixels[source + k]]
  }
  return out.subarray(0, count * size)
}

/**
 * Floats in [0, 1] to bytes at `at`. A Uint8ClampedArray store clamps and rounds to nearest in
 * one step, several times faster than Math.round in a loop or than round+cast kernels in tfjs.
 */
function writeBytes(values: Float32Array, out: Uint8ClampedArray, at: number): void {
  for (let k = 0; k < values.length; k++) out[at + k] = values[k] * 255
}

/**
 * Reconstructions of the images at `positions` (rows of `size` bytes in `pixels`), as bytes in
 * the same layout, in the order asked. A VAE decodes from the mean code. With `errors`, also
 * each row's mean squared error per pixel in [0, 1] units, as training's per-item error.
 */
export async function reconstructRows(
  model: Autoencoder,
  pixels: Uint8Array,
  size: number,
  positions: Int32Array,
  options: BatchOptions & { errors?: Float32Array } = {},
): Promise<Uint8Array> {
  const batch = batchFor(model, options.batch, positions.length)
  const out = new Uint8Array(positions.length * size)
  const clamped = new Uint8ClampedArray(out.buffer)
  const buffer = new Float32Array(batch * size)
  for (let from = 0; from < positions.length; from += batch) {
    const count = Math.min(batch, positions.length - from)
    const rows = gatherUnits(pixels, size, positions, from, count, buffer)
    const values = await valuesOf(() => reconstruct(model, tf.tensor2d(rows, [count, size])))
    writeBytes(values, clamped, from * size)
    if (options.errors) {
      for (let r = 0; r < count; r++) {
        let sum = 0
        for (let k = r * size; k < (r + 1) * size; k++) sum += (values[k] - rows[k]) ** 2
        options.errors[from + r] = sum / size
      }
    }
  }
  return out
}

/** Codes (count × z) decoded to images as bytes, count × inputSize. */
export async function decodeCodes(
  model: Autoencoder,
  codes: Float32Array,
  options: BatchOptions = {},
): Promise<Uint8Array> {
  const { latent, inputSize } = model.spec
  const count = codes.length / latent
  const batch = batchFor(model, options.batch, count)
  const out = new Uint8Array(count * inputSize)
  const clamped = new Uint8ClampedArray(out.buffer)
  for (let from = 0; from < count; from += batch) {
    const rows = Math.min(batch, count - from)
    const z = codes.subarray(from * latent, (from + rows) * latent)
    const values = await valuesOf(() => decode(model, tf.tensor2d(z, [rows, latent])))
    writeBytes(values, clamped, from * inputSize)
  }
  return out
}

/** The codes (means for a VAE) of the images at `positions`, positions.length × z. */
export async function encodeRows(
  model: Autoencoder,
  pixels: Uint8Array,
  size: number,
  positions: Int32Array,
  options: BatchOptions = {},
): Promise<Float32Array> {
  const { latent } = model.spec
  const batch = batchFor(model, options.batch, positions.length)
  const codes = new Float32Array(positions.length * latent)
  const buffer = new Float32Array(batch * size)
  for (let from = 0; from < positions.length; from += batch) {
    const count = Math.min(batch, positions.length - from)
    const rows = gatherUnits(pixels, size, positions, from, count, buffer)
    codes.set(await valuesOf(() => encode(model, tf.tensor2d(rows, [count, size]))), from * latent)
  }
  return codes
}

/**
 * Images (floats in [0, 1], rows of `size`) corrupted as a denoising run is trained
 * (docs/models.md, "Denoising"): the training loop's own drawNoise, so the demo shows the same
 * noise. `level`: the fraction masked or flipped, or the Gaussian's standard deviation.
 */
export async function corrupt(
  pixels: Float32Array,
  kind: NoiseKind,
  level: number,
  seed: number,
  size = pixels.length,
): Promise<Float32Array> {
  const parsed = trainConfig.safeParse({ denoising: { kind, level, samples: 1 } })
  if (!parsed.success)
    throw new StudioError('bad-params', 'The noise level must be a number from 0 to 1.')
  const config = parsed.data
  return valuesOf(
    () => drawNoise(tf.tensor2d(pixels, [pixels.length / size, size]), config, seed).input,
  )
}

/**
 * The denoising demo: the images at `positions`, corrupted, and the model's reconstructions of
 * the corrupted images. Meant for a page of images: the noise is drawn for all of them at once.
 */
export async function denoiseRows(
  model: Autoencoder,
  pixels: Uint8Array,
  size: number,
  positions: Int32Array,
  noise: { kind: NoiseKind; level: number; seed: number },
): Promise<{ corrupted: Uint8Array; reconstructions: Uint8Array }> {
  const clean = gatherUnits(
    pixels,
    size,
    positions,
    0,
    positions.length,
    new Float32Array(positions.length * size),
  )
  const noisy = await corrupt(clean, noise.kind, noise.level, noise.seed, size)
  const corrupted = new Uint8Array(noisy.length)
  writeBytes(noisy, new Uint8ClampedArray(corrupted.buffer), 0)
  // the model sees the noisy floats, not their bytes: Gaussian noise is not a multiple of 1/255
  const reconstructions = new Uint8Array(noisy.length)
  const clamped = new Uint8ClampedArray(reconstructions.buffer)
  const batch = batchFor(model, undefined, positions.length)
  for (let from = 0; from < positions.length; from += batch) {
    const count = Math.min(batch, positions.length - from)
    const rows = noisy.subarray(from * size, (from + count) * size)
    writeBytes(
      await valuesOf(() => reconstruct(model, tf.tensor2d(rows, [count, size]))),
      clamped,
      from * size,
    )
  }
  return { corrupted, reconstructions }
}
