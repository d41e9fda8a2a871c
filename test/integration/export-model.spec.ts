// runs.export of models (tfjs layers read back by tfjs-layers), its progress and cancel, and
// the export through the contract, on the run export-fixture.ts builds.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { paramSchemas } from '../../main/core/contract'
import { dispatch } from '../../main/core/dispatch'
import { exportRun } from '../../main/core/export'
import { decode, encode, reconstruct, type Autoencoder } from '../../main/core/models/autoencoder'
import { Studio } from '../../main/core/service'
import { trainConfig, type TrainConfigInput } from '../../main/core/shared/train-config'
import { pythonCsv } from '../unit/core/export/python'
import { items, fixture, run, exportOf } from './export-fixture'

beforeAll(async () => {
  await tf.setBackend('cpu')
})
async function loadLayers(folder: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'))
  expect(json.weightsManifest[0].paths).toEqual(['weights.bin'])
  const bytes = readFileSync(join(folder, 'weights.bin'))
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
    }),
  )
}

function expectClose(actual: tf.Tensor, expected: tf.Tensor) {
  expect(actual.shape).toEqual(expected.shape)
  const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0])
  expect(gap).toBeLessThan(1e-5)
}

/**
 * The exported encoder and decoder in `out`, read back by tfjs-layers and checked against
 * `model`: the encoder gives encode(model, x), the decoder maps those codes to decode(). The
 * caller disposes them.
 */
async function loadExport(out: string, model: Autoencoder, x: tf.Tensor) {
  const encoder = await loadLayers(join(out, 'encoder'))
  const decoder = await loadLayers(join(out, 'decoder'))
  tf.tidy(() => {
    const codes = encoder.predict(x) as tf.Tensor
    expectClose(codes, encode(model, x))
    expectClose(decoder.predict(codes) as tf.Tensor, decode(model, codes))
  })
  return { encoder, decoder }
}

describe('runs.export model', () => {
  it('writes the best checkpoint as tfjs encoder and decoder that reproduce encode() and decode()', async () => {
    const f = fixture()
    const config: TrainConfigInput = { hidden: [8, 5], latent: 3, activation: 'elu' }
    const built = await run(f, config)
    const out = join(f.dir, 'model')
    const { files } = await exportOf(f, { id: built.runId, kind: 'model', out })
    expect(files.map((file) => file.slice(out.length + 1)).sort()).toEqual([
      'decoder/model.json',
      'decoder/weights.bin',
      'encoder/model.json',
      'encoder/weights.bin',
      'studio-model.json',
    ])
    const best = built.best!
    const { encoder, decoder } = await loadExport(out, best, f.x)
    tf.tidy(() => {
      const codes = encoder.predict(f.x) as tf.Tensor
      expectClose(decoder.predict(codes) as tf.Tensor, reconstruct(best, f.x))
      // and not the last checkpoint's
      expect(tf.max(tf.abs(tf.sub(codes, encode(built.last, f.x)))).dataSync()[0]).toBeGreaterThan(
        1e-3,
      )
    })
    const studio = JSON.parse(readFileSync(join(out, 'studio-model.json'), 'utf8'))
    expect(studio.checkpoint).toEqual({ kind: 'best', epoch: 1 })
    expect(studio.config).toEqual(trainConfig.parse(config))
    expect(studio.input.size).toBe(30)
    encoder.dispose()
    decoder.dispose()
  })

  it('writes a conv model (odd side, RGB) whose tfjs layers reproduce encode() and decode()', async () => {
    const f = fixture('rgb')
    const config: TrainConfigInput = { model: 'conv', filters: [4, 3], hidden: [5], latent: 3 }
    const built = await run(f, config)
    const out = join(f.dir, 'model')
    await exportOf(f, { id: built.runId, kind: 'model', out })
    const topology = JSON.parse(readFileSync(join(out, 'decoder', 'model.json'), 'utf8'))
    expect(
      topology.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name),
    ).toEqual([
      'InputLayer',
      'Dense',
      'Dense',
      'Reshape',
      'UpSampling2D',
      'Conv2D',
      'Cropping2D',
      'UpSampling2D',
      'Conv2D',
      'Cropping2D',
      'Flatten',
    ])
    const { encoder, decoder } = await loadExport(out, built.best!, f.x)
    encoder.dispose()
    decoder.dispose()
  })

  it('falls back to the last checkpoint, and maps each activation (tanh, sigmoid code)', async () => {
    const f = fixture()
    const config: TrainConfigInput = {
      hidden: [7],
      latent: 2,
      activation: 'tanh',
      sparseKL: { rho: 0.05, beta: 3 },
    }
    const built = await run(f, config, { best: false })
    const out = join(f.dir, 'model')
    await exportOf(f, { id: built.runId, kind: 'model', out })
    const topology = JSON.parse(readFileSync(join(out, 'encoder', 'model.json'), 'utf8'))
    expect(
      topology.modelTopology.config.layers.map(
        (l: { config: { activation: string } }) => l.config.activation,
      ),
    ).toEqual([undefined, 'tanh', 'sigmoid'])
    const { encoder, decoder } = await loadExport(out, built.last, f.x)
    tf.tidy(() =>
      expectClose(
        decoder.predict(encode(built.last, f.x)) as tf.Tensor,
        reconstruct(built.last, f.x),
      ),
    )
    encoder.dispose()
    decoder.dispose()
    const studio = JSON.parse(readFileSync(join(out, 'studio-model.json'), 'utf8'))
    expect(studio.checkpoint).toEqual({ kind: 'last', epoch: 2 })
  })

  it("exports a VAE's encoder with mean then log-variance, the mean being encode()", async () => {
    const f = fixture('rgb')
    const built = await run(f, { hidden: [6], latent: 2, variational: { beta: 1 } })
    const out = join(f.dir, 'vae')
    await exportOf(f, { id: built.runId, kind: 'model', out })
    const encoder = await loadLayers(join(out, 'encoder'))
    tf.tidy(() => {
      const both = encoder.predict(f.x) as tf.Tensor2D
      expect(both.shape).toEqual([items.length, 4])
      expectClose(tf.slice(both, [0, 0], [-1, 2]), encode(built.best!, f.x))
    })
    const studio = JSON.parse(readFileSync(join(out, 'studio-model.json'), 'utf8'))
    expect(studio.encoder.outputs).toMatch(/mean .* log-variance/)
    expect(studio.input.size).toBe(90)
  })

  it('refuses a run with no checkpoint, and a file as the folder', async () => {
    const f = fixture()
    const queued = f.stores.runs.create({
      datasetId: f.datasetId,
      name: 'q',
      config: trainConfig.parse({}),
    })
    await expect(
      exportOf(f, { id: queued, kind: 'model', out: join(f.dir, 'm') }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: `Run ${queued} has no checkpoint yet: it must train at least one epoch.`,
    })
    const built = await run(f)
    const file = join(f.dir, 'a-file')
    writeFileSync(file, '')
    await expect(exportOf(f, { id: built.runId, kind: 'model', out: file })).rejects.toMatchObject({
      code: 'bad-params',
    })
    expect(readdirSync(f.dir)).toEqual(['a-file'])
  })
})

describe('runs.export progress and cancel', () => {
  for (const kind of ['projector', 'model', 'onnx'] as const)
    it(`reports the ${kind} export's progress up to its total, and stops when cancelled`, async () => {
      const f = fixture()
      const built = await run(f)
      const out = join(f.dir, kind)
      const steps: { done: number; total: number }[] = []
      const params = paramSchemas['runs.export'].parse({ id: built.runId, kind, out })
      await exportRun(f.stores, params, { onProgress: (p) => steps.push(p) })
      const total = steps[0].total
      expect(steps[0].done).toBe(0)
      expect(steps.at(-1)).toEqual({ done: total, total })
      expect(steps.every((p, i) => i === 0 || p.done >= steps[i - 1].done)).toBe(true)

      const abort = new AbortController()
      abort.abort()
      const again = join(f.dir, `${kind}-cancelled`)
      await expect(
        exportRun(f.stores, { ...params, out: again }, { signal: abort.signal }),
      ).rejects.toMatchObject({ code: 'cancelled' })
      // nothing half-written is left behind (an empty folder may stay)
      const left = readdirSync(f.dir).includes(`${kind}-cancelled`)
        ? readdirSync(again, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
        : []
      expect(left).toEqual([])
    })
})

describe('runs.export through the contract', () => {
  it('takes csv by default and sends errors as {code, message}', async () => {
    const f = fixture()
    const built = await run(f)
    f.db.close()
    const studio = new Studio({
      workspaceFile: f.file,
      resourcesDir: join(import.meta.dirname, '..', '..', 'resources'),
      shell: 'test',
      version: 'test',
    })
    onTestFinished(() => studio.close())
    const out = join(f.dir, 'codes.csv')
    const ok = await dispatch(studio.handlers, 'runs.export', {
      id: built.runId,
      kind: 'embeddings',
      out,
    })
    expect(ok).toEqual({ ok: true, result: { files: [out] } })
    expect(pythonCsv(out)).toHaveLength(items.length + 1)
    const missing = await dispatch(studio.handlers, 'runs.export', {
      id: 424242,
      kind: 'model',
      out,
    })
    expect(missing).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'There is no run 424242 in this workspace.' },
    })
  })
})
