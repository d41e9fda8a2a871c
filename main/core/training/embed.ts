// A model's codes and per-item reconstruction errors over a dataset: what a run stores when it
// completes or is stopped (training/train.process.ts), and what the decoder process computes for
// a run that ended without them (reconstruction/decode.process.ts, op embed).
import * as tf from '@tensorflow/tfjs-core'
import { encode, reconstruct, type Autoencoder } from '../models/autoencoder'
import type { TrainingData } from './step'
import { spreadAcrossImages } from './warnings'

/** Codes and per-item reconstruction error (mean squared error per pixel) of every item, or of some. */
export function embed(model: Autoencoder, data: TrainingData, positions?: Int32Array) {
  const dims = model.spec.latent
  const upTo = positions?.length ?? data.count
  const codes = new Float32Array(upTo * dims)
  const errors = new Float32Array(upTo)
  const chunk = 2048
  for (let from = 0; from < upTo; from += chunk) {
    const count = Math.min(chunk, upTo - from)
    const rows = new Float32Array(count * data.size)
    for (let r = 0; r < count; r++) {
      const source = (positions ? positions[from + r] : from + r) * data.size
      for (let k = 0; k < data.size; k++) rows[r * data.size + k] = data.pixels[source + k] / 255
    }
    tf.tidy(() => {
      const x = tf.tensor2d(rows, [count, data.size])
      codes.set(encode(model, x).dataSync(), from * dims)
      errors.set(tf.mean(tf.square(tf.sub(reconstruct(model, x), x)), 1).dataSync(), from)
    })
  }
  return { codes, errors, dims }
}

/**
 * How much a sample of up to `limit` images (spread over the dataset) differ from one another,
 * and how much their reconstructions do (warnings.ts reads a collapse from the two).
 */
export function reconstructionSpread(model: Autoencoder, data: TrainingData, limit = 256) {
  const count = Math.min(limit, data.count)
  const rows = new Float32Array(count * data.size)
  for (let i = 0; i < count; i++) {
    const source = Math.floor((i * data.count) / count) * data.size
    for (let k = 0; k < data.size; k++) rows[i * data.size + k] = data.pixels[source + k] / 255
  }
  const reconstructions = tf.tidy(() =>
    reconstruct(model, tf.tensor2d(rows, [count, data.size])).dataSync(),
  )
  return {
    images: spreadAcrossImages(rows, count, data.size),
    reconstructions: spreadAcrossImages(reconstructions, count, data.size),
  }
}
