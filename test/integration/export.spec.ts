// runs.export end to end: a run built in a temp workspace from a real model's packed weights and
// codes, exported as embeddings, a projector bundle and a tfjs model, and read back by
// independent readers (Python's csv and numpy, sharp, tfjs-layers).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportProjector } from '../../main/core/export/projector'
import type { EmbeddedPage } from '../../main/core/export/items'
import { tempDir } from '../helpers/temp'
import { numpyLoad, pythonCsv } from '../unit/core/export/python'
import { height, items, fixture, run, exportOf, codeOf } from './export-fixture'

beforeAll(async () => {
  await tf.setBackend('cpu')
})
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
