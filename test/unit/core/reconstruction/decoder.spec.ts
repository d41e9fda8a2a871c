// Batched reconstruction, decoding and encoding to bytes, models from checkpoints and the
// denoising demo, on tiny models whose weights are set by hand so outputs are known.
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  corrupt,
  decodeCodes,
  denoiseRows,
  encodeRows,
  modelFromCheckpoint,
  reconstructRows,
} from '../../../../main/core/reconstruction/decoder'
import type { DenseLayer } from '../../../../main/core/models/dense'
import type { Layer } from '../../../../main/core/models/layer'
import { disposeModel, type Autoencoder } from '../../../../main/core/models/autoencoder'
import type { Shape3 } from '../../../../main/core/models/architecture'
import { packWeights } from '../../../../main/core/training/checkpoint'
import { trainConfig, type TrainConfigInput } from '../../../../main/core/shared/train-config'
import { createModelFor, drawNoise } from '../../../../main/core/training/step'

/** The first layer of a dense model's encoder or decoder, typed as dense. */
const denseAt = (layers: Layer[]) => layers[0] as DenseLayer

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const image: Shape3 = [2, 2, 1]
const size = 4
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v))
/** What the identity-like model gives for a pixel value in [0, 1], as a byte. */
const expectedByte = (unit: number) => Math.round(sigmoid(8 * unit - 4) * 255)

function configOf(extra: TrainConfigInput = {}) {
  return trainConfig.parse({
    model: 'dense',
    hidden: [],
    latent: 4,
    activation: 'linear',
    ...extra,
  })
}

/** Encoder: code = x. Decoder: sigmoid(8·code − 4), so every output is known in closed form. */
function identityLike(): Autoencoder {
  const model = createModelFor(configOf(), image)
  const [encoder, decoder] = [denseAt(model.encoder), denseAt(model.decoder)]
  encoder.W.assign(tf.eye(4) as tf.Tensor2D)
  encoder.b.assign(tf.zeros([4]))
  decoder.W.assign(tf.mul(tf.eye(4), 8) as tf.Tensor2D)
  decoder.b.assign(tf.fill([4], -4) as tf.Tensor1D)
  return model
}

// values whose decoded bytes are far from a rounding tie
const pixels = Uint8Array.from([
  14, 63, 140, 252, 21, 70, 161, 245, 28, 84, 168, 238, 35, 105, 175, 224, 49, 112, 182, 210,
])

describe('reconstructRows', () => {
  it('gives the known reconstruction of each asked row, in the order asked', async () => {
    const model = identityLike()
    const positions = Int32Array.from([3, 0, 4])
    const errors = new Float32Array(3)
    const out = await reconstructRows(model, pixels, size, positions, { errors })
    const expected = [...positions].flatMap((p) =>
      [...pixels.subarray(p * size, (p + 1) * size)].map((v) => expectedByte(v / 255)),
    )
    expect([...out]).toEqual(expected)
    positions.forEach((p, r) => {
      const row = [...pixels.subarray(p * size, (p + 1) * size)].map((v) => v / 255)
      const mse = row.reduce((sum, x) => sum + (sigmoid(8 * x - 4) - x) ** 2, 0) / size
      expect(errors[r]).toBeCloseTo(mse, 6)
    })
    disposeModel(model)
  })

  it('gives the same bytes whatever the batch, and leaks no tensor', async () => {
    const model = createModelFor(configOf({ hidden: [3], activation: 'relu' }), image)
    const positions = Int32Array.from([4, 1, 2, 0, 3, 2, 1])
    const before = tf.memory().numTensors
    const whole = await reconstructRows(model, pixels, size, positions)
    const byTwo = await reconstructRows(model, pixels, size, positions, { batch: 2 })
    const byOne = await reconstructRows(model, pixels, size, positions, { batch: 1 })
    expect(tf.memory().numTensors).toBe(before)
    expect(byTwo).toEqual(whole)
    expect(byOne).toEqual(whole)
    expect(whole.length).toBe(positions.length * size)
    disposeModel(model)
  })

  it('gives a conv model the same bytes whatever the batch', async () => {
    const config = trainConfig.parse({ model: 'conv', filters: [2, 3], hidden: [], latent: 2 })
    const model = createModelFor(config, [4, 4, 1])
    const images = Uint8Array.from({ length: 5 * 16 }, (_, i) => (i * 53) % 256)
    const positions = Int32Array.from([4, 0, 3, 1, 2])
    const whole = await reconstructRows(model, images, 16, positions)
    expect(await reconstructRows(model, images, 16, positions, { batch: 2 })).toEqual(whole)
    expect(whole.length).toBe(5 * 16)
    disposeModel(model)
  })

  it('decodes a VAE from its mean, so it is deterministic and equals decode(encode(x))', async () => {
    const model = createModelFor(configOf({ hidden: [3], variational: { beta: 1 } }), image)
    const positions = Int32Array.from([0, 2, 4])
    const first = await reconstructRows(model, pixels, size, positions)
    expect(await reconstructRows(model, pixels, size, positions)).toEqual(first)
    const codes = await encodeRows(model, pixels, size, positions)
    expect(codes.length).toBe(3 * 4)
    expect(await decodeCodes(model, codes)).toEqual(first)
    disposeModel(model)
  })

  it('returns nothing for no positions', async () => {
    const model = identityLike()
    expect((await reconstructRows(model, pixels, size, new Int32Array(0))).length).toBe(0)
    disposeModel(model)
  })
})

describe('encodeRows and decodeCodes', () => {
  it('encode to x and decode to sigmoid(8z − 4) on the identity-like model', async () => {
    const model = identityLike()
    const codes = await encodeRows(model, pixels, size, Int32Array.from([1, 2]), { batch: 1 })
    const expected = [...pixels.subarray(4, 12)].map((v) => v / 255)
    codes.forEach((c, i) => expect(c).toBeCloseTo(expected[i], 6))
    const z = Float32Array.from([0, 0.25, 0.5, 1, 0.1, 0.9, 0.3, 0.7])
    expect([...(await decodeCodes(model, z, { batch: 1 }))]).toEqual([...z].map(expectedByte))
    disposeModel(model)
  })
})

describe('modelFromCheckpoint', () => {
  it('restores the weights of a checkpoint, whatever seed the config has', async () => {
    const trained = createModelFor(configOf({ hidden: [3], seed: 7 }), image)
    const checkpoint = await packWeights(trained)
    const before = tf.memory().numTensors
    const restored = modelFromCheckpoint(configOf({ hidden: [3], seed: 1 }), image, checkpoint)
    expect((await packWeights(restored)).weights).toEqual(checkpoint.weights)
    const positions = Int32Array.from([0, 1, 2, 3, 4])
    expect(await reconstructRows(restored, pixels, size, positions)).toEqual(
      await reconstructRows(trained, pixels, size, positions),
    )
    disposeModel(restored)
    // nothing of the restored model outlives it: createModelFor alone would leave its initial values
    expect(tf.memory().numTensors).toBe(before)
    disposeModel(trained)
  })

  it('refuses a checkpoint of another architecture and keeps no variable of it', async () => {
    const other = createModelFor(configOf({ hidden: [5] }), image)
    const checkpoint = await packWeights(other)
    const before = tf.memory().numTensors
    expect(() => modelFromCheckpoint(configOf({ hidden: [3] }), image, checkpoint)).toThrow(
      /does not match/,
    )
    expect(tf.memory().numTensors).toBe(before)
    disposeModel(other)
  })
})

describe('corrupt', () => {
  const clean = Float32Array.from({ length: 400 }, (_, i) => 0.2 + (0.6 * ((i * 37) % 100)) / 100)

  it("is training's own noise: drawNoise's input for the same seed", async () => {
    for (const kind of ['mask', 'gaussian', 'salt-pepper'] as const) {
      const config = trainConfig.parse({ denoising: { kind, level: 0.3 } })
      const expected = tf.tidy(
        () => drawNoise(tf.tensor2d(clean, [4, 100]), config, 11).input.dataSync() as Float32Array,
      )
      expect(await corrupt(clean, kind, 0.3, 11, 100)).toEqual(expected)
    }
  })

  it('is reproducible from its seed and differs between seeds', async () => {
    expect(await corrupt(clean, 'gaussian', 0.2, 5)).toEqual(
      await corrupt(clean, 'gaussian', 0.2, 5),
    )
    expect(await corrupt(clean, 'gaussian', 0.2, 5)).not.toEqual(
      await corrupt(clean, 'gaussian', 0.2, 6),
    )
    await expect(corrupt(clean, 'mask', 1.5, 5)).rejects.toThrow(/from 0 to 1/)
  })

  it('masks, flips and adds noise as each kind says', async () => {
    const masked = await corrupt(clean, 'mask', 0.5, 3)
    const zeros = masked.filter((v) => v === 0).length
    expect(masked.every((v, i) => v === 0 || v === clean[i])).toBe(true)
    expect(zeros).toBeGreaterThan(150)
    expect(zeros).toBeLessThan(250)

    const flipped = await corrupt(clean, 'salt-pepper', 0.4, 3)
    expect(flipped.every((v, i) => v === 0 || v === 1 || v === clean[i])).toBe(true)
    const changed = flipped.filter((v, i) => v !== clean[i]).length
    expect(changed).toBeGreaterThan(110)
    expect(changed).toBeLessThan(210)

    const noisy = await corrupt(clean, 'gaussian', 0.1, 3)
    expect(noisy.every((v) => v >= 0 && v <= 1)).toBe(true)
    const spread = Math.sqrt(noisy.reduce((s, v, i) => s + (v - clean[i]) ** 2, 0) / noisy.length)
    expect(spread).toBeGreaterThan(0.08)
    expect(spread).toBeLessThan(0.12)
  })
})

describe('denoiseRows', () => {
  it('shows the corrupted images and the reconstructions of exactly those', async () => {
    const model = identityLike()
    const positions = Int32Array.from([2, 4])
    const noise = { kind: 'gaussian' as const, level: 0.2, seed: 9 }
    const { corrupted, reconstructions } = await denoiseRows(model, pixels, size, positions, noise)
    const clean = Float32Array.from(
      [...positions].flatMap((p) => [...pixels.subarray(p * size, (p + 1) * size)]),
      (v) => v / 255,
    )
    const noisy = await corrupt(clean, 'gaussian', 0.2, 9, size)
    expect(noisy).not.toEqual(clean)
    expect([...corrupted]).toEqual([...noisy].map((v) => Math.round(v * 255)))
    const expected = [...noisy].map((v) => sigmoid(8 * v - 4) * 255)
    reconstructions.forEach((byte, i) =>
      expect(Math.abs(byte - expected[i])).toBeLessThanOrEqual(0.5 + 1e-3),
    )
    disposeModel(model)
  })
})
