// The ONNX export read back by an independent runtime: onnxruntime-node runs encoder.onnx and
// decoder.onnx built from a model's packed weights, and must give the app's own codes and
// reconstructions (main/core/models/autoencoder.ts) within 1e-5.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as ort from 'onnxruntime-node'
import { onnx } from 'onnx-proto'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportOnnx, onnxModels } from '../../../../main/core/export/onnx-model'
import type { ModelSource } from '../../../../main/core/export/tfjs-model'
import {
  decode,
  encode,
  forwardChain,
  type Autoencoder,
} from '../../../../main/core/models/autoencoder'
import { packWeights } from '../../../../main/core/training/checkpoint'
import { createModelFor } from '../../../../main/core/training/step'
import { trainConfig, type TrainConfigInput } from '../../../../main/core/shared/train-config'
import { tempDir } from '../../../helpers/temp'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

interface Case {
  name: string
  config: TrainConfigInput
  /** height, width, channels: odd sides make the conv decoder crop */
  image: [number, number, number]
}

const cases: Case[] = [
  { name: 'dense', config: { hidden: [16, 8], latent: 3, activation: 'elu' }, image: [5, 6, 1] },
  {
    name: 'conv',
    config: { model: 'conv', filters: [4, 6], hidden: [10], latent: 4, activation: 'relu' },
    image: [7, 9, 3],
  },
  {
    name: 'VAE (conv, tanh)',
    config: {
      model: 'conv',
      filters: [3],
      hidden: [],
      latent: 2,
      variational: { beta: 1 },
      activation: 'tanh',
    },
    image: [6, 5, 1],
  },
  {
    name: 'VAE (dense)',
    config: { hidden: [12], latent: 5, variational: { beta: 1 }, activation: 'sigmoid' },
    image: [4, 4, 3],
  },
]

/** A model as training builds it, with non-zero biases so the export must carry them. */
function built(config: TrainConfigInput, image: [number, number, number]): Autoencoder {
  const model = createModelFor(trainConfig.parse({ ...config, seed: 5 }), image)
  ;[...model.encoder, ...model.decoder].forEach((layer, i) =>
    layer.b.assign(tf.randomUniform(layer.b.shape, -0.5, 0.5, 'float32', 40 + i)),
  )
  return model
}

async function sourceOf(
  config: TrainConfigInput,
  image: [number, number, number],
  model: Autoencoder,
): Promise<ModelSource> {
  const [height, width, channels] = image
  return {
    runId: 7,
    runName: 'tiny',
    config: trainConfig.parse({ ...config, seed: 5 }),
    dataset: { id: 1, name: 'fixture', width, height, channels: channels === 3 ? 'rgb' : 'grey' },
    checkpoint: { epoch: 2, ...(await packWeights(model)) },
    checkpointKind: 'best',
  }
}

const maxDiff = (a: Float32Array, b: Float32Array) => {
  expect(a.length).toBe(b.length)
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0)
}

describe('ONNX export', () => {
  for (const { name, config, image } of cases)
    it(`gives the app's codes and reconstructions within 1e-5: ${name}`, async () => {
      const model = built(config, image)
      const size = image[0] * image[1] * image[2]
      const rows = 5
      const pixels = Float32Array.from(
        { length: rows * size },
        (_, i) => ((i * 37 + 11) % 256) / 255,
      )
      const x = tf.tensor2d(pixels, [rows, size])
      const appCodes = tf.tidy(() => encode(model, x).dataSync() as Float32Array)
      // the code layer whole: a VAE's mean, then its log-variance
      const fullCode = tf.tidy(
        () => forwardChain(x, model.encoder).at(-1)!.dataSync() as Float32Array,
      )
      const appPixels = tf.tidy(
        () =>
          decode(
            model,
            tf.tensor2d(appCodes, [rows, model.spec.latent]),
          ).dataSync() as Float32Array,
      )
      x.dispose()

      const dir = tempDir('studio-onnx-')
      const files = await exportOnnx(dir, await sourceOf(config, image, model))
      expect(files.sort()).toEqual([join(dir, 'decoder.onnx'), join(dir, 'encoder.onnx')])
      const encoder = await ort.InferenceSession.create(readFileSync(join(dir, 'encoder.onnx')))
      const decoder = await ort.InferenceSession.create(readFileSync(join(dir, 'decoder.onnx')))
      expect(encoder.inputNames).toEqual(['pixels'])
      expect(decoder.inputNames).toEqual(['code'])
      expect(decoder.outputNames).toEqual(['pixels'])

      const encoded = await encoder.run({ pixels: new ort.Tensor('float32', pixels, [rows, size]) })
      const latent = model.spec.latent
      if (model.spec.variational) {
        expect(encoder.outputNames).toEqual(['mean', 'log_var'])
        expect(encoded.mean.dims).toEqual([rows, latent])
        expect(maxDiff(encoded.mean.data as Float32Array, appCodes)).toBeLessThan(1e-5)
        const logVar = Float32Array.from(
          { length: rows * latent },
          (_, i) => fullCode[Math.floor(i / latent) * 2 * latent + latent + (i % latent)],
        )
        expect(maxDiff(encoded.log_var.data as Float32Array, logVar)).toBeLessThan(1e-5)
      } else {
        expect(encoder.outputNames).toEqual(['code'])
        expect(encoded.code.dims).toEqual([rows, latent])
        expect(maxDiff(encoded.code.data as Float32Array, appCodes)).toBeLessThan(1e-5)
      }
      const decoded = await decoder.run({
        code: new ort.Tensor('float32', appCodes, [rows, latent]),
      })
      expect(decoded.pixels.dims).toEqual([rows, size])
      expect(maxDiff(decoded.pixels.data as Float32Array, appPixels)).toBeLessThan(1e-5)
      // the reconstruction is not trivially constant: the comparison above could fail
      expect(Math.max(...appPixels) - Math.min(...appPixels)).toBeGreaterThan(0.01)
    })

  it('documents inputs, shapes and the pixel scaling in metadata_props', async () => {
    const { config, image } = cases[2]
    const models = onnxModels(await sourceOf(config, image, built(config, image)))
    const meta = (bytes: Uint8Array) =>
      Object.fromEntries(onnx.ModelProto.decode(bytes).metadataProps.map((p) => [p.key, p.value]))
    const encoder = meta(models.encoder)
    expect(encoder).toMatchObject({
      inputs: 'pixels',
      'pixels.shape': '[batch, 30]',
      'pixels.scaling': 'each pixel byte / 255, in [0, 1]',
      outputs: 'mean, log_var',
    })
    expect(encoder['pixels.layout']).toMatch(
      /^6×5×1 \(height, width, channels\) row-major, channels last/,
    )
    expect(meta(models.decoder)).toMatchObject({
      inputs: 'code',
      'code.shape': '[batch, 2]',
      outputs: 'pixels',
    })
    const decoded = onnx.ModelProto.decode(models.encoder)
    expect(Number(decoded.opsetImport[0].version)).toBe(13)
    expect(decoded.producerName).toBe('Autoencoder Studio')
  })
})
