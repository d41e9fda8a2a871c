// Images from codes (interpolation, prior samples, the 2-D manifold, a swept dimension) and what
// the first layer's units learned, on tiny models.
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeCodes } from '../../../../main/core/reconstruction/decoder'
import {
  interpolate,
  inverseNormalCdf,
  manifoldGrid,
  sampleGrid,
  sweepDimension,
} from '../../../../main/core/reconstruction/decoder-generate'
import {
  firstLayerFilters,
  topActivating,
} from '../../../../main/core/reconstruction/decoder-units'
import type { DenseLayer } from '../../../../main/core/models/dense'
import type { Layer } from '../../../../main/core/models/layer'
import { disposeModel } from '../../../../main/core/models/autoencoder'
import { trainConfig, type TrainConfigInput } from '../../../../main/core/shared/train-config'
import { createModelFor } from '../../../../main/core/training/step'

/** The first layer of a dense model's encoder or decoder, typed as dense. */
const denseAt = (layers: Layer[]) => layers[0] as DenseLayer

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function modelOf(extra: TrainConfigInput) {
  const config = trainConfig.parse({ model: 'dense', hidden: [5], latent: 2, seed: 3, ...extra })
  return createModelFor(config, [3, 2, 1])
}

describe('interpolate', () => {
  it('starts at decode(codeA), ends at decode(codeB) and is linear between', async () => {
    const model = modelOf({ latent: 3 })
    const a = Float32Array.from([1, -2, 0.5])
    const b = Float32Array.from([-1, 4, 2.5])
    const { count, codes, images } = await interpolate(model, a, b, 5)
    expect(count).toBe(5)
    expect(images.length).toBe(5 * 6)
    expect(images.subarray(0, 6)).toEqual(await decodeCodes(model, a))
    expect(images.subarray(24, 30)).toEqual(await decodeCodes(model, b))
    expect([...codes.subarray(6, 9)]).toEqual([0, 1, 1.5])
    expect(images.subarray(12, 18)).toEqual(
      await decodeCodes(model, Float32Array.from([0, 1, 1.5])),
    )
    await expect(interpolate(model, a, b, 1)).rejects.toThrow(/at least 2/)
    await expect(interpolate(model, a, Float32Array.from([1, 2]), 3)).rejects.toThrow(/3/)
    disposeModel(model)
  })
})

describe('sampleGrid', () => {
  it('draws the same samples from the same seed, other samples from another', async () => {
    const model = modelOf({ variational: { beta: 1 } })
    const first = await sampleGrid(model, 8, 42)
    expect(first.count).toBe(8)
    expect(first.images.length).toBe(8 * 6)
    expect(await sampleGrid(model, 8, 42)).toEqual(first)
    await expect(sampleGrid(model, 0, 42)).rejects.toThrow(/whole number/)
    expect((await sampleGrid(model, 8, 43)).codes).not.toEqual(first.codes)
    expect(first.images).toEqual(await decodeCodes(model, first.codes))
    disposeModel(model)
  })

  it('draws codes from N(0, I)', async () => {
    const model = modelOf({ variational: { beta: 1 } })
    const { codes } = await sampleGrid(model, 4000, 1)
    const mean = codes.reduce((s, v) => s + v, 0) / codes.length
    const variance = codes.reduce((s, v) => s + (v - mean) ** 2, 0) / codes.length
    expect(Math.abs(mean)).toBeLessThan(0.05)
    expect(Math.abs(variance - 1)).toBeLessThan(0.07)
    disposeModel(model)
  })

  it('refuses a model without a prior', async () => {
    const model = modelOf({})
    await expect(sampleGrid(model, 4, 1)).rejects.toThrow(/variational/)
    disposeModel(model)
  })
})

describe('inverseNormalCdf', () => {
  it("matches Python's statistics.NormalDist().inv_cdf in the centre and both tails", async () => {
    const known: [number, number][] = [
      [1e-9, -5.9978070150076865],
      [0.001, -3.090232306167813],
      [0.01, -2.3263478740408408],
      [0.05, -1.6448536269514726],
      [0.3, -0.5244005127080407],
      [0.5, 0],
      [0.95, 1.6448536269514715],
      [0.975, 1.9599639845400536],
      [0.999, 3.090232306167813],
    ]
    for (const [p, x] of known)
      expect(Math.abs(inverseNormalCdf(p) - x)).toBeLessThan(1e-8 * Math.max(1, Math.abs(x)))
    expect(inverseNormalCdf(0)).toBe(-Infinity)
    expect(inverseNormalCdf(1)).toBe(Infinity)
  })
})

describe('manifoldGrid', () => {
  it("spaces a VAE's grid by Φ⁻¹, x to the right and y upwards", async () => {
    const model = modelOf({ variational: { beta: 1 } })
    const { count, codes, images } = await manifoldGrid(model, 3)
    expect(count).toBe(9)
    const edge = inverseNormalCdf(0.95)
    const at = (i: number) => [codes[2 * i], codes[2 * i + 1]]
    expect(at(0)[0]).toBeCloseTo(-edge, 6) // top left: smallest x, largest y
    expect(at(0)[1]).toBeCloseTo(edge, 6)
    expect(at(4)).toEqual([0, 0])
    expect(at(8)[0]).toBeCloseTo(edge, 6)
    expect(at(8)[1]).toBeCloseTo(-edge, 6)
    expect(images).toEqual(await decodeCodes(model, codes))
    const wide = await manifoldGrid(model, 2, { range: [0.01, 0.99] })
    expect(wide.codes[0]).toBeCloseTo(inverseNormalCdf(0.01), 6)
    disposeModel(model)
  })

  it('spans given code ranges of a plain autoencoder, per axis', async () => {
    const model = modelOf({})
    await expect(manifoldGrid(model, 3)).rejects.toThrow(/range/)
    const { codes } = await manifoldGrid(model, 2, {
      range: [
        [0, 10],
        [-1, 1],
      ],
    })
    expect([...codes]).toEqual([0, 1, 10, 1, 0, -1, 10, -1])
    disposeModel(model)
  })

  it('spans two chosen dimensions of a larger code around a base code', async () => {
    const model = modelOf({ latent: 4, variational: { beta: 1 } })
    await expect(manifoldGrid(model, 2)).rejects.toThrow(/choose the two/)
    const base = Float32Array.from([7, 7, 7, 7])
    const { codes } = await manifoldGrid(model, 2, { dims: [3, 1], base, range: [0.5, 0.5] })
    expect([...codes]).toEqual([7, 0, 7, 0, 7, 0, 7, 0, 7, 0, 7, 0, 7, 0, 7, 0])
    await expect(manifoldGrid(model, 2, { dims: [1, 1] })).rejects.toThrow(/two different/)
    disposeModel(model)
  })
})

describe('sweepDimension', () => {
  it('changes only the chosen dimension', async () => {
    const model = modelOf({ latent: 3 })
    const code = Float32Array.from([1, 2, 3])
    const { codes, images } = await sweepDimension(model, code, 1, [-1, 0, 5])
    expect([...codes]).toEqual([1, -1, 3, 1, 0, 3, 1, 5, 3])
    expect(images).toEqual(await decodeCodes(model, codes))
    await expect(sweepDimension(model, code, 3, [0])).rejects.toThrow(/0 to 2/)
    disposeModel(model)
  })
})

describe('what the units learned', () => {
  it("draws each first-layer unit's weights with zero at mid-grey", async () => {
    const model = modelOf({ hidden: [2] })
    // W is inputs (6) × units (2): unit 0 = [1, −1, 0.5, 0, 0, −0.5], unit 1 = all 3
    const weights = [1, 3, -1, 3, 0.5, 3, 0, 3, 0, 3, -0.5, 3]
    denseAt(model.encoder).W.assign(tf.tensor2d(weights, [6, 2]))
    const { count, images } = await firstLayerFilters(model)
    expect(count).toBe(2)
    expect([...images.subarray(0, 6)]).toEqual([255, 0, 191, 128, 128, 64])
    expect([...images.subarray(6, 12)]).toEqual([255, 255, 255, 255, 255, 255])
    disposeModel(model)
  })

  it('finds the images that drive a unit hardest, in order, batch after batch', async () => {
    const model = modelOf({ hidden: [2] })
    // unit 1 reads pixel 2 minus pixel 5
    denseAt(model.encoder).W.assign(tf.tensor2d([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, -1], [6, 2]))
    const drives = [10, 200, 30, 90, 250, 0, 120]
    const pixels = new Uint8Array(drives.length * 6)
    drives.forEach((v, i) => {
      pixels[i * 6 + 2] = v
      pixels[i * 6 + 5] = 20
      pixels[i * 6] = 255 - v // unit 0's pixel must not matter
    })
    expect([...(await topActivating(model, pixels, 6, 1, 3, { batch: 2 }))]).toEqual([4, 1, 6])
    const among = Int32Array.from([0, 2, 3, 5])
    expect([...(await topActivating(model, pixels, 6, 1, 2, { positions: among }))]).toEqual([3, 2])
    await expect(topActivating(model, pixels, 6, 2, 1)).rejects.toThrow(/0 to 1/)
    disposeModel(model)
  })

  it('refuses a convolutional model', async () => {
    const config = trainConfig.parse({ model: 'conv', filters: [2], hidden: [], latent: 2 })
    const model = createModelFor(config, [4, 4, 1])
    await expect(firstLayerFilters(model)).rejects.toThrow(/dense/)
    disposeModel(model)
  })
})
