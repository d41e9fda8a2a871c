// `studio export` to the Python formats, through the built CLI as a user runs it: a run's model as
// ONNX (run by onnxruntime-node to the same codes as the embeddings the run stored), and its
// embeddings, clusters and layout as a Parquet table (read back with hyparquet).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { parquetReadObjects } from 'hyparquet'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importSample, sampleFiles, studioCli } from './cli'

const work = mkdtempSync(join(tmpdir(), 'studio-cli-export-'))
const db = join(work, 'workspace.sqlite')
let runId = 0

beforeAll(() => {
  runId = importSample(db).train('--preset', 'quick-look', '--epochs', '1', '--latent', '4')
  studioCli(db, 'cluster', '--run', String(runId), '--k', '3')
  studioCli(db, 'project', '--run', String(runId), '--method', 'pca', '--dims', '2')
})

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

const readParquet = async (path: string) => {
  const bytes = readFileSync(path)
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  return (await parquetReadObjects({ file })) as Record<string, unknown>[]
}

describe('studio export, for Python', () => {
  it('writes the embeddings with clusters and layout as Parquet, in item order, and says so in --json', async () => {
    const out = join(work, 'table.parquet')
    const result = studioCli(
      db,
      'export',
      'embeddings',
      '--run',
      String(runId),
      '--format',
      'parquet',
      '--out',
      out,
    )
    expect(result).toEqual({ files: [out] })
    const rows = await readParquet(out)
    expect(rows).toHaveLength(2000)
    expect(Object.keys(rows[0])).toEqual([
      'id',
      'path',
      'label',
      'cluster',
      'cluster_name',
      'certainty',
      'error',
      'code',
      'x',
      'y',
    ])
    const ids = rows.map((r) => r.id as number)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(rows[0].path).toBe('sample-images-idx3-ubyte.gz#0')
    expect(rows[1999].path).toBe('sample-images-idx3-ubyte.gz#1999')
    expect(rows[0].code).toHaveLength(4)
    expect(new Set(rows.map((r) => r.cluster))).toEqual(new Set([0, 1, 2]))

    // the same table as `export embeddings --format csv` holds, code for code
    const csv = join(work, 'codes.csv')
    studioCli(db, 'export', 'embeddings', '--run', String(runId), '--out', csv)
    const lines = readFileSync(csv, 'utf8').trim().split('\r\n').slice(1)
    const codes = lines.map((line) => line.split(',').slice(-4).map(Number))
    rows.forEach((row, i) => expect(row.code).toEqual(codes[i].map((v) => Math.fround(v))))

    const clusters = join(work, 'clusters.parquet')
    const viaClusters = studioCli(
      db,
      'export',
      'clusters',
      '--run',
      String(runId),
      '--format',
      'parquet',
      '--out',
      clusters,
    )
    expect(viaClusters).toEqual({ files: [clusters] })
    expect((await readParquet(clusters)).map((r) => r.cluster)).toEqual(rows.map((r) => r.cluster))
  })

  it('writes the model as ONNX that onnxruntime runs to the codes the run stored', async () => {
    const out = join(work, 'onnx')
    const result = studioCli(db, 'export', 'onnx', '--run', String(runId), '--out', out)
    expect(result).toEqual({ files: [join(out, 'encoder.onnx'), join(out, 'decoder.onnx')] })
    const npy = join(work, 'codes.npy')
    studioCli(db, 'export', 'embeddings', '--run', String(runId), '--format', 'npy', '--out', npy)
    const bytes = readFileSync(npy)
    const stored = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset + 10 + bytes.readUInt16LE(8)),
    )
    const encoder = await ort.InferenceSession.create(readFileSync(join(out, 'encoder.onnx')))
    const decoder = await ort.InferenceSession.create(readFileSync(join(out, 'decoder.onnx')))
    // the sample's first three images, as the import stored them (28×28 grey, bytes / 255)
    const idx = gunzipSync(readFileSync(sampleFiles[0]))
    const pixels = Float32Array.from(idx.subarray(16, 16 + 3 * 784), (v) => v / 255)
    const { code } = await encoder.run({ pixels: new ort.Tensor('float32', pixels, [3, 784]) })
    expect(code.dims).toEqual([3, 4])
    const got = code.data as Float32Array
    stored.subarray(0, 12).forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-5))
    const decoded = await decoder.run({ code })
    expect(decoded.pixels.dims).toEqual([3, 784])
  })

  it('refuses a format that does not fit the kind, with a message', () => {
    expect(() =>
      studioCli(
        db,
        'export',
        'embeddings',
        '--run',
        String(runId),
        '--format',
        'folders',
        '--out',
        join(work, 'x'),
      ),
    ).toThrow(/Embeddings export as csv, npy, json or parquet/)
  })
})
