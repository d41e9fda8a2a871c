// runs.export end to end: a run built in a temp workspace from a real model's packed weights and
// codes, exported as embeddings, a projector bundle and a tfjs model, and read back by
// independent readers (Python's csv and numpy, sharp, tfjs-layers).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as tfl from '@tensorflow/tfjs-layers'
import sharp from 'sharp'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { ParamsOf } from '../../main/core/contract'
import { paramSchemas } from '../../main/core/contract'
import { dispatch } from '../../main/core/dispatch'
import { exportRun, type ExportStores } from '../../main/core/export'
import { exportProjector } from '../../main/core/export/projector'
import type { EmbeddedPage } from '../../main/core/export/items'
import { decode, encode, reconstruct, type Autoencoder } from '../../main/core/models/autoencoder'
import { Studio } from '../../main/core/service'
import { DatasetsStore } from '../../main/core/store/datasets-store'
import { RunsStore, type EpochRow } from '../../main/core/store/runs-store'
import { openWorkspace, type Workspace } from '../../main/core/store/workspace'
import { packWeights } from '../../main/core/training/checkpoint'
import { trainConfig, type TrainConfigInput } from '../../main/core/shared/train-config'
import { createModelFor } from '../../main/core/training/step'
import { tempDir, tempWorkspaceFile } from '../helpers/temp'
import { numpyLoad, pythonCsv } from '../unit/core/export/python'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const width = 6
const height = 5
/** Paths and labels that break naive CSV and TSV writers. */
const items: { path: string; label: string | null }[] = [
  { path: '/data/digits/plain.png', label: '0' },
  { path: '/data/digits/with, comma.png', label: 'one, two' },
  { path: '/data/digits/say "cheese".png', label: '"quoted"' },
  { path: '/data/digits/line\nbreak.png', label: null },
  { path: '/data/digits/tab\there.png', label: 'tab\tlabel' },
  { path: '/data/dígitos/ünïcode é.png', label: 'ünï' },
  { path: '/data/digits/cr\r\nlf.png', label: 'multi\nline' },
]

interface Fixture {
  db: Workspace
  file: string
  stores: ExportStores
  datasetId: number
  itemIds: Int32Array
  /** the items' pixels / 255, N × H·W·C */
  x: tf.Tensor2D
  dir: string
}

function fixture(channels: 'grey' | 'rgb' = 'grey'): Fixture {
  const file = tempWorkspaceFile()
  const db = openWorkspace(file)
  onTestFinished(() => {
    if (db.open) db.close()
  })
  const datasets = new DatasetsStore(db)
  const options = { size: 6, channels, fit: 'pad', background: 'black', maxPixels: 1e8 } as const
  const datasetId = datasets.create({
    name: 'tricky',
    width,
    height,
    channels,
    options,
    sources: [],
  })
  const size = width * height * (channels === 'rgb' ? 3 : 1)
  const pixels = Uint8Array.from({ length: items.length * size }, (_, i) => (i * 53 + 17) % 256)
  const ids = datasets.addItems(
    datasetId,
    0,
    items.map((item, i) => ({
      ...item,
      pixels: pixels.subarray(i * size, (i + 1) * size),
      contentHash: null,
      duplicateOf: null,
    })),
  )
  datasets.markReady(datasetId)
  const x = tf.div(tf.tensor2d(pixels, [items.length, size], 'float32'), 255) as tf.Tensor2D
  onTestFinished(() => x.dispose())
  return {
    db,
    file,
    stores: { datasets, runs: new RunsStore(db) },
    datasetId,
    itemIds: Int32Array.from(ids),
    x,
    dir: tempDir('studio-export-'),
  }
}

function epoch(n: number): EpochRow {
  const loss = 1 / n
  return {
    epoch: n,
    trainLoss: loss,
    valLoss: loss,
    mse: loss,
    terms: {},
    seconds: 1,
    samplesPerSec: 100,
  }
}

/** A model as training builds it, with biases made non-zero so the export must carry them. */
function model(config: TrainConfigInput, seed: number, channels: number): Autoencoder {
  const built = createModelFor(trainConfig.parse({ ...config, seed }), [height, width, channels])
  ;[...built.encoder, ...built.decoder].forEach((layer, i) =>
    layer.b.assign(tf.randomUniform(layer.b.shape, -0.5, 0.5, 'float32', seed * 100 + i)),
  )
  return built
}

interface BuiltRun {
  runId: number
  /** the best checkpoint's model (epoch 1), absent when only 'last' is stored */
  best: Autoencoder | null
  /** the last checkpoint's model (epoch 2), which also made the embeddings */
  last: Autoencoder
  codes: Float32Array
  errors: Float32Array
}

/**
 * A run as the training process leaves it: epoch 1 stored as best and last, epoch 2 as last
 * only, and the embeddings of the final model.
 */
async function run(
  f: Fixture,
  config: TrainConfigInput = { hidden: [8], latent: 3, activation: 'elu' },
  options: { best?: boolean; embeddings?: boolean } = {},
): Promise<BuiltRun> {
  const { best: withBest = true, embeddings = true } = options
  const runs = f.stores.runs
  const runId = runs.create({
    datasetId: f.datasetId,
    name: 'tricky "run"',
    config: trainConfig.parse(config),
  })
  runs.start(runId, { backend: 'cpu', pid: process.pid })
  const channels = f.x.shape[1] / (width * height)
  const best = withBest ? model(config, 11, channels) : null
  const last = model(config, 12, channels)
  if (best)
    runs.addEpochWithCheckpoints(runId, epoch(1), [
      { kind: 'best', epoch: 1, ...(await packWeights(best)) },
      { kind: 'last', epoch: 1, ...(await packWeights(best)) },
    ])
  runs.addEpochWithCheckpoints(runId, epoch(2), [
    { kind: 'last', epoch: 2, ...(await packWeights(last)) },
  ])
  const codes = tf.tidy(() => encode(last, f.x).dataSync() as Float32Array)
  const errors = tf.tidy(
    () => tf.mean(tf.square(tf.sub(reconstruct(last, f.x), f.x)), 1).dataSync() as Float32Array,
  )
  if (embeddings) {
    runs.saveEmbeddings(runId, { codes, dims: last.spec.latent, errors, itemIds: f.itemIds })
    runs.finish(runId, { status: 'completed' })
  }
  return { runId, best, last, codes, errors }
}

function exportOf(f: Fixture, params: ParamsOf<'runs.export'>) {
  return exportRun(f.stores, paramSchemas['runs.export'].parse(params))
}

const codeOf = (built: BuiltRun, i: number) => Array.from(built.codes.subarray(i * 3, i * 3 + 3))

describe('runs.export embeddings', () => {
  it('writes CSV in dataset order that a CSV reader parses back, quoting included', async () => {
    const f = fixture()
    const built = await run(f)
    const out = join(f.dir, 'new folder', 'codes.csv')
    const { files } = await exportOf(f, { id: built.runId, kind: 'embeddings', out })
    expect(files).toEqual([out])
    const [header, ...rows] = pythonCsv(out)
    expect(header).toEqual(['path', 'label', 'error', 'z0', 'z1', 'z2'])
    expect(rows.map((r) => r[0])).toEqual(items.map((item) => item.path))
    expect(rows.map((r) => r[1])).toEqual(items.map((item) => item.label ?? ''))
    rows.forEach((row, i) => {
      expect(Math.fround(Number(row[2]))).toBe(built.errors[i])
      expect(row.slice(3).map((v) => Math.fround(Number(v)))).toEqual(codeOf(built, i))
    })
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe('path,label,error,z0,z1,z2')
  })

  it('writes JSON that parses back to the same paths, labels (null kept), errors and codes', async () => {
    const f = fixture()
    const built = await run(f)
    const out = join(f.dir, 'codes.json')
    await exportOf(f, { id: built.runId, kind: 'embeddings', format: 'json', out })
    const json = JSON.parse(readFileSync(out, 'utf8'))
    expect(json.dims).toBe(3)
    expect(json.rows).toHaveLength(items.length)
    json.rows.forEach(
      (row: { path: string; label: string | null; error: number; code: number[] }, i: number) => {
        expect(row.path).toBe(items[i].path)
        expect(row.label).toBe(items[i].label)
        expect(Math.fround(row.error)).toBe(built.errors[i])
        expect(row.code.map(Math.fround)).toEqual(codeOf(built, i))
      },
    )
  })

  it('writes .npy that numpy loads as float32 N×d, and a labels CSV of the same rows', async () => {
    const f = fixture()
    const built = await run(f)
    const out = join(f.dir, 'codes.npy')
    const { files } = await exportOf(f, { id: built.runId, kind: 'embeddings', format: 'npy', out })
    expect(files).toEqual([out, join(f.dir, 'codes.labels.csv')])
    const loaded = numpyLoad(out)
    expect(loaded.shape).toEqual([items.length, 3])
    expect(loaded.dtype).toBe('<f4')
    expect(loaded.values).toEqual(Array.from(built.codes))
    const [header, ...rows] = pythonCsv(files[1])
    expect(header).toEqual(['path', 'label', 'error'])
    expect(rows.map((r) => [r[0], r[1]])).toEqual(
      items.map((item) => [item.path, item.label ?? '']),
    )
    expect(rows.map((r) => Math.fround(Number(r[2])))).toEqual(Array.from(built.errors))
  })

  it('replaces a file only when told to, and leaves nothing else beside it', async () => {
    const f = fixture()
    const built = await run(f)
    const out = join(f.dir, 'codes.csv')
    writeFileSync(out, 'an older export\n')
    const params = { id: built.runId, kind: 'embeddings', format: 'csv', out } as const
    await expect(exportOf(f, params)).rejects.toMatchObject({ code: 'exists' })
    expect(readFileSync(out, 'utf8')).toBe('an older export\n')
    await exportOf(f, { ...params, overwrite: true })
    expect(readFileSync(out, 'utf8').startsWith('path,label,error,z0')).toBe(true)
    expect(readdirSync(f.dir)).toEqual(['codes.csv'])
  })

  it('refuses a missing run, a run without embeddings, and a folder as the file', async () => {
    const f = fixture()
    await expect(
      exportOf(f, { id: 999, kind: 'embeddings', out: join(f.dir, 'a.csv') }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: 'There is no run 999 in this workspace.',
    })
    const training = await run(f, undefined, { embeddings: false })
    for (const kind of ['embeddings', 'projector'] as const)
      await expect(
        exportOf(f, { id: training.runId, kind, out: join(f.dir, 'x') }),
      ).rejects.toMatchObject({
        code: 'not-found',
        message: `Run ${training.runId} has no embeddings yet: it must finish training first.`,
      })
    const done = await run(f)
    await expect(
      exportOf(f, { id: done.runId, kind: 'embeddings', out: f.dir }),
    ).rejects.toMatchObject({
      code: 'bad-params',
    })
    expect(readdirSync(f.dir)).toEqual([])
  })
})

describe('runs.export projector', () => {
  it('writes vectors, metadata, a grey sprite and a config that names them', async () => {
    const f = fixture()
    const built = await run(f)
    const out = join(f.dir, 'projector')
    const { files } = await exportOf(f, { id: built.runId, kind: 'projector', out })
    expect(files.map((file) => file.slice(out.length + 1)).sort()).toEqual([
      'metadata.tsv',
      'projector_config.pbtxt',
      'sprite.png',
      'vectors.tsv',
    ])
    const vectors = readFileSync(join(out, 'vectors.tsv'), 'utf8').split('\n')
    expect(vectors.pop()).toBe('')
    expect(vectors).toHaveLength(items.length)
    vectors.forEach((line, i) =>
      expect(line.split('\t').map((v) => Math.fround(Number(v)))).toEqual(codeOf(built, i)),
    )
    const metadata = readFileSync(join(out, 'metadata.tsv'), 'utf8').split('\n')
    expect(metadata.pop()).toBe('')
    expect(metadata).toHaveLength(items.length + 1)
    expect(metadata[0]).toBe('label\tpath\terror')
    expect(metadata.slice(1).map((line) => line.split('\t').length)).toEqual(items.map(() => 3))
    const [label, path, error] = metadata[2].split('\t')
    expect([label, path]).toEqual(['one, two', '/data/digits/with, comma.png'])
    expect(Math.fround(Number(error))).toBe(built.errors[1])
    expect(metadata[5].split('\t').slice(0, 2)).toEqual(['tab label', '/data/digits/tab here.png'])
    expect(metadata[7].split('\t').slice(0, 2)).toEqual(['multi line', '/data/digits/cr lf.png'])

    const config = readFileSync(join(out, 'projector_config.pbtxt'), 'utf8')
    expect(config).toContain('tensor_name: "tricky \\"run\\""')
    expect(config).toContain('tensor_path: "vectors.tsv"')
    expect(config).toContain('metadata_path: "metadata.tsv"')
    expect(config).toContain('image_path: "sprite.png"')
    expect(config).toMatch(/single_image_dim: 6\n\s*single_image_dim: 5/)

    // 7 items: 3 columns × 3 rows of 6×5 thumbnails at their own size
    const png = readFileSync(join(out, 'sprite.png'))
    const meta = await sharp(png).metadata()
    expect([meta.width, meta.height, meta.channels, png[25]]).toEqual([18, 15, 1, 0])
    const sprite = await sharp(png).extractChannel(0).raw().toBuffer()
    const page = f.stores.datasets.items(f.datasetId, 0, 10)
    const item = 4 // column 1, row 1
    for (let y = 0; y < height; y++)
      expect([...sprite.subarray((5 + y) * 18 + 6, (5 + y) * 18 + 12)]).toEqual([
        ...page.pixels.subarray(item * 30 + y * 6, item * 30 + y * 6 + 6),
      ])
  })

  it('writes an RGB sprite for an RGB dataset', async () => {
    const f = fixture('rgb')
    const built = await run(f)
    const out = join(f.dir, 'projector')
    await exportOf(f, { id: built.runId, kind: 'projector', out })
    const png = readFileSync(join(out, 'sprite.png'))
    const meta = await sharp(png).metadata()
    expect([meta.width, meta.height, meta.channels, png[25]]).toEqual([18, 15, 3, 2])
  })

  it('when even 8 px thumbnails cannot all fit, draws the first that do and writes a note', async () => {
    const dir = tempDir()
    const count = 1024 ** 2 + 5
    const side = 8
    const embeddings = {
      rows: count,
      dims: 1,
      codes: Float32Array.from({ length: count }, (_, i) => i),
      errors: new Float32Array(count),
      itemIds: Int32Array.from({ length: count }, (_, i) => i + 1),
    }
    async function* pages(): AsyncGenerator<EmbeddedPage> {
      const size = side * side
      for (let from = 0; from < count; from += 65536) {
        const n = Math.min(65536, count - from)
        const pixels = new Uint8Array(n * size)
        for (let i = 0; i < n; i++) pixels.fill((from + i) % 200, i * size, (i + 1) * size)
        yield {
          rows: Int32Array.from({ length: n }, (_, i) => from + i),
          items: {
            total: count,
            offset: from,
            width: side,
            height: side,
            channels: 1,
            ids: Int32Array.from({ length: n }, (_, i) => from + i + 1),
            labels: Array.from({ length: n }, () => null),
            paths: Array.from({ length: n }, (_, i) => `${from + i}.png`),
            pixels,
          },
        }
      }
    }
    const files = await exportProjector(dir, {
      embeddings,
      pages,
      name: 'big',
      image: { width: side, height: side, channels: 1 },
    })
    expect(files.map((file) => file.slice(dir.length + 1)).sort()).toEqual([
      'metadata.tsv',
      'projector_config.pbtxt',
      'sprite-note.txt',
      'sprite.png',
      'vectors.tsv',
    ])
    const meta = await sharp(readFileSync(join(dir, 'sprite.png'))).metadata()
    expect([meta.width, meta.height]).toEqual([8192, 8192])
    expect(readFileSync(join(dir, 'sprite-note.txt'), 'utf8')).toContain(
      `the first ${1024 ** 2} of ${count} items`,
    )
    expect(readFileSync(join(dir, 'vectors.tsv'), 'utf8').split('\n')).toHaveLength(count + 1)
  }, 120_000)
})

/** Loads an exported model.json + weights.bin with tfjs-layers. */
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
    const encoder = await loadLayers(join(out, 'encoder'))
    const decoder = await loadLayers(join(out, 'decoder'))
    const best = built.best!
    tf.tidy(() => {
      const codes = encoder.predict(f.x) as tf.Tensor
      expectClose(codes, encode(best, f.x))
      expectClose(decoder.predict(codes) as tf.Tensor, decode(best, codes))
      expectClose(
        decoder.predict(encoder.predict(f.x) as tf.Tensor) as tf.Tensor,
        reconstruct(best, f.x),
      )
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
    const encoder = await loadLayers(join(out, 'encoder'))
    const decoder = await loadLayers(join(out, 'decoder'))
    const best = built.best!
    tf.tidy(() => {
      const codes = encoder.predict(f.x) as tf.Tensor
      expectClose(codes, encode(best, f.x))
      expectClose(decoder.predict(codes) as tf.Tensor, decode(best, codes))
    })
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
    const encoder = await loadLayers(join(out, 'encoder'))
    const decoder = await loadLayers(join(out, 'decoder'))
    tf.tidy(() => {
      expectClose(encoder.predict(f.x) as tf.Tensor, encode(built.last, f.x))
      expectClose(
        decoder.predict(encode(built.last, f.x)) as tf.Tensor,
        reconstruct(built.last, f.x),
      )
    })
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
