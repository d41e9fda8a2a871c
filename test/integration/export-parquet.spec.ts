// runs.export as Parquet, read back by an independent reader (hyparquet): one row per item in the
// dataset's order with its id, path relative to the imported folder, label, cluster, certainty,
// error, float32 code list and the latest 2-D and 3-D layouts, through the contract.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet'
import { describe, expect, it, onTestFinished } from 'vitest'
import { paramSchemas, type ParamsOf } from '../../main/core/contract'
import { exportRun } from '../../main/core/export'
import { relativeToRoot } from '../../main/core/export/parquet'
import { ClusteringsStore } from '../../main/core/store/clusterings-store'
import { DatasetsStore } from '../../main/core/store/datasets-store'
import { ProjectionsStore } from '../../main/core/store/projections-store'
import { RunsStore } from '../../main/core/store/runs-store'
import { openWorkspace } from '../../main/core/store/workspace'
import { trainConfig } from '../../main/core/shared/train-config'
import { tempDir, tempWorkspaceFile } from '../helpers/temp'

const itemsUnder = (root: string) => [
  { path: `${root}/7/b.png`, label: '7' },
  { path: `${root}/1/ünï, "code".png`, label: '1' },
  { path: `${root}/loose.png`, label: null },
  { path: `${root}/1/a.png`, label: '1' },
]
const items = itemsUnder('/data/digits')
const dims = 3

function workspace(root = '/data/digits') {
  const db = openWorkspace(tempWorkspaceFile())
  onTestFinished(() => {
    db.close()
  })
  const stores = {
    datasets: new DatasetsStore(db),
    runs: new RunsStore(db),
    clusterings: new ClusteringsStore(db),
    projections: new ProjectionsStore(db),
  }
  const options = {
    size: 2,
    channels: 'grey',
    fit: 'pad',
    background: 'black',
    maxPixels: 1e8,
  } as const
  const datasetId = stores.datasets.create({
    name: 'digits',
    width: 2,
    height: 2,
    channels: 'grey',
    options,
    sources: [root],
  })
  const ids = stores.datasets.addItems(
    datasetId,
    0,
    itemsUnder(root).map((item, i) => ({
      ...item,
      pixels: new Uint8Array(4).fill(i * 40),
      contentHash: null,
      duplicateOf: null,
    })),
  )
  stores.datasets.markReady(datasetId)
  const runId = stores.runs.create({
    datasetId,
    name: 'r',
    config: trainConfig.parse({ hidden: [4], latent: dims }),
  })
  stores.runs.start(runId, { backend: 'cpu', pid: process.pid })
  // embeddings rows in an order other than the items', so the export must join them
  const itemIds = Int32Array.from([...ids].reverse())
  const codes = Float32Array.from({ length: items.length * dims }, (_, i) =>
    Math.fround(i / 7 - 0.3),
  )
  const errors = Float32Array.from({ length: items.length }, (_, i) =>
    Math.fround((0.01 * (i + 1)) / 3),
  )
  stores.runs.saveEmbeddings(runId, { codes, dims, errors, itemIds })
  stores.runs.finish(runId, { status: 'completed' })
  return { stores, datasetId, runId, ids, itemIds, codes, errors }
}

type Workspace = ReturnType<typeof workspace>

function addClustering(w: Workspace) {
  const id = w.stores.clusterings.create(w.runId, 'n2d', { k: 2, seed: 1 } as never)
  const assignments = Int32Array.from([1, 0, 1, 0])
  const certainty = Float32Array.from([0.5, 0.25, 1, 0.75])
  w.stores.clusterings.complete(id, {
    assignments,
    distances: new Float32Array(4),
    certainty,
    metrics: {} as never,
    seconds: 1,
  })
  w.stores.clusterings.renameCluster(id, 1, 'Sevens')
  return { id, assignments, certainty }
}

function addLayout(w: Workspace, dimsOf: 2 | 3, offset: number) {
  const id = w.stores.projections.create({
    datasetId: w.datasetId,
    runId: w.runId,
    space: 'latent',
    method: 'pca',
    params: { dims: dimsOf, neighbors: 15, minDist: 0.1, metric: 'euclidean', seed: offset },
  })
  const coords = Float32Array.from({ length: items.length * dimsOf }, (_, i) =>
    Math.fround(offset + i * 1.5),
  )
  w.stores.projections.complete(id, {
    coords,
    rows: items.length,
    quality: { trustworthiness: 1, knnAccuracy: null, silhouette: null, sample: 4 },
    seconds: 1,
  })
  return { id, coords }
}

async function exported(w: Workspace, params: Partial<ParamsOf<'runs.export'>> = {}) {
  const out = join(tempDir('studio-parquet-'), 'table.parquet')
  const { files } = await exportRun(
    w.stores,
    paramSchemas['runs.export'].parse({
      id: w.runId,
      kind: 'embeddings',
      format: 'parquet',
      out,
      ...params,
    }),
  )
  expect(files).toEqual([out])
  const bytes = readFileSync(out)
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[]
  const metadata = parquetMetadata(file)
  return { rows, metadata, columns: parquetSchema(metadata).children.map((c) => c.element.name) }
}

/** The code of the item at `position` in dataset order (the embeddings are stored reversed). */
const codeAt = (w: Workspace, position: number) => {
  const row = items.length - 1 - position
  return Array.from(w.codes.subarray(row * dims, (row + 1) * dims))
}

describe('runs.export as Parquet', () => {
  it('writes one row per item in dataset order, with float32 codes as a list column', async () => {
    const w = workspace()
    const { rows, columns, metadata } = await exported(w)
    expect(columns).toEqual(['id', 'path', 'label', 'error', 'code'])
    expect(rows.map((r) => r.id)).toEqual([...w.ids])
    expect(rows.map((r) => r.path)).toEqual([
      '7/b.png',
      '1/ünï, "code".png',
      'loose.png',
      '1/a.png',
    ])
    expect(rows.map((r) => r.label)).toEqual(['7', '1', null, '1'])
    rows.forEach((r, position) => {
      expect(r.code).toEqual(codeAt(w, position))
      expect(r.error).toBe(w.errors[items.length - 1 - position])
    })
    const code = metadata.schema.find((e) => e.name === 'element')
    expect(code?.type).toBe('FLOAT')
    expect(metadata.created_by).toBe('Autoencoder Studio')
  })

  it("adds the latest clustering's cluster, name and certainty, and the 2-D and 3-D layouts", async () => {
    const w = workspace()
    const clustering = addClustering(w)
    const flat = addLayout(w, 2, 10)
    addLayout(w, 2, 20) // an earlier 2-D layout is passed over for the latest
    const latest = addLayout(w, 2, 30)
    const deep = addLayout(w, 3, 40)
    expect(flat.id).toBeLessThan(latest.id)
    const { rows, columns } = await exported(w)
    expect(columns).toEqual([
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
      'x_3d',
      'y_3d',
      'z_3d',
    ])
    expect(rows.map((r) => r.cluster)).toEqual([...clustering.assignments])
    expect(rows.map((r) => r.cluster_name)).toEqual(['Sevens', 'Cluster 1', 'Sevens', 'Cluster 1'])
    expect(rows.map((r) => r.certainty)).toEqual([...clustering.certainty])
    expect(rows.map((r) => [r.x, r.y])).toEqual(
      items.map((_, i) => [latest.coords[2 * i], latest.coords[2 * i + 1]]),
    )
    expect(rows.map((r) => [r.x_3d, r.y_3d, r.z_3d])).toEqual(
      items.map((_, i) => Array.from(deep.coords.subarray(3 * i, 3 * i + 3))),
    )
  })

  it('takes the clustering and layouts asked for, and refuses those of another run', async () => {
    const w = workspace()
    addClustering(w)
    const early = addLayout(w, 2, 10)
    addLayout(w, 2, 30)
    const { rows, columns } = await exported(w, { projectionIds: [early.id] })
    expect(columns).toContain('x')
    expect(columns).not.toContain('x_3d')
    expect(rows[1].x).toBe(early.coords[2])
    await expect(exported(w, { clusteringId: 999 })).rejects.toThrow(/no clustering 999|999/)
    await expect(exported(w, { projectionIds: [999] })).rejects.toThrow(
      /Projection 999 is not a layout of run/,
    )
  })
})

describe('Parquet paths', () => {
  it('are relative to the folder the user dropped, under `studio serve` too', async () => {
    const w = workspace('/srv/uploads/batch-1/digits')
    const { rows } = await exported(w, { uploadsDir: '/srv/uploads' })
    expect(rows.map((r) => r.path)).toEqual([
      '7/b.png',
      '1/ünï, "code".png',
      'loose.png',
      '1/a.png',
    ])
  })
})

describe('relativeToRoot', () => {
  it('writes paths relative to the imported folder, and array items beside their file', () => {
    expect(relativeToRoot('/a/b/c/d.png', ['/x', '/a/b'])).toBe('c/d.png')
    expect(relativeToRoot('/a/b/c/d.png', ['/a', '/a/b'])).toBe('c/d.png')
    expect(relativeToRoot('/a/arrays/x.npy#12', ['/a/arrays/x.npy'])).toBe('x.npy#12')
    expect(relativeToRoot('/elsewhere/e.png', ['/a'])).toBe('/elsewhere/e.png')
  })
})
