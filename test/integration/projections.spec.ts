// Projections in their own process, as the latent explorer and the UMAP comparison use them:
// progress and provisional layouts stream, the layout is stored with its quality and reused,
// and cancel or a killed process leaves a clear status.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Events, ParamsOf } from '../../main/core/contract'
import { dispatch } from '../../main/core/dispatch'
import { Studio } from '../../main/core/service'
import { call, until } from '../helpers/studio'
import type { ImportResult } from '../../main/core/shared/types'

const resources = join(import.meta.dirname, '..', '..', 'resources')
const sample = ['sample-images-idx3-ubyte.gz', 'sample-labels-idx1-ubyte.gz'].map((f) =>
  join(resources, 'sample', 'fashion-mnist', f),
)

/** Params of projections.start, checked against the contract's input type. */
const paramsOf = (_method: 'projections.start', params: ParamsOf<'projections.start'>) => params

const ended = (s: Events['projection:status']) => s.status !== 'running'

let studio: Studio
let runId = 0
let datasetId = 0

let dir = ''
beforeAll(async () => {
  // one workspace for the file: training a run to project is the slow part
  dir = mkdtempSync(join(tmpdir(), 'studio-projections-'))
  studio = new Studio({
    workspaceFile: join(dir, 'workspace.sqlite'),
    resourcesDir: resources,
    shell: 'test',
    version: 'test',
  })
  const imported = (await call(studio, 'datasets.import', { paths: sample })) as ImportResult
  datasetId = imported.datasetId
  const done = until(studio, 'training:status', (s) => ['completed', 'failed'].includes(s.status))
  const run = (await call(studio, 'runs.start', {
    datasetId,
    config: { hidden: [32], latent: 8, epochs: 2, batchSize: 100, backend: 'cpu' },
  })) as { id: number }
  runId = run.id
  expect((await done).status).toBe('completed')
}, 120_000)

afterAll(() => {
  studio?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('projections', () => {
  it('projects a run’s codes to 3-D with PCA, stores the layout with its quality, and reuses it', async () => {
    const done = until(studio, 'projection:status', ended)
    const params = paramsOf('projections.start', { runId, space: 'latent', method: 'pca', dims: 3 })
    const started = (await call(studio, 'projections.start', params)) as { id: number }
    const status = await done
    expect(status).toMatchObject({ id: started.id, status: 'completed' })
    const projection = (await call(studio, 'projections.get', { id: started.id })) as {
      coords: Float32Array
      rows: number
      quality: { trustworthiness: number; knnAccuracy: number; explained: number[] }
    }
    expect(projection.rows).toBe(2000)
    expect(projection.coords).toBeInstanceOf(Float32Array)
    expect(projection.coords.length).toBe(2000 * 3)
    expect(projection.quality.trustworthiness).toBeGreaterThan(0.7)
    expect(projection.quality.knnAccuracy).toBeGreaterThan(0.3) // ten classes: chance is 0.1
    expect(projection.quality.explained[0]).toBeGreaterThan(projection.quality.explained[2])
    const again = (await call(studio, 'projections.start', params)) as {
      id: number
      status: string
    }
    expect(again).toMatchObject({ id: started.id, status: 'completed' })
  })

  it('lays out raw pixels with UMAP, streaming provisional layouts before the final one', async () => {
    const layouts: number[] = []
    const stop = studio.onEvent((name, payload) => {
      if (name === 'projection:progress' && payload.layout) layouts.push(payload.layout.length)
    })
    const done = until(studio, 'projection:status', ended)
    const started = (await call(studio, 'projections.start', {
      datasetId,
      space: 'raw',
      method: 'umap',
      neighbors: 10,
    })) as { id: number }
    const status = await done
    stop()
    expect(status.error).toBeUndefined()
    expect(status.status).toBe('completed')
    expect(layouts.length).toBeGreaterThan(0)
    expect(layouts.every((length) => length === 2000 * 2)).toBe(true)
    const projection = (await call(studio, 'projections.get', { id: started.id })) as {
      runId: number | null
      quality: { trustworthiness: number; silhouette: number }
    }
    expect(projection.runId).toBeNull()
    expect(projection.quality.trustworthiness).toBeGreaterThan(0.8)
    const listed = (await call(studio, 'projections.list', { datasetId })) as { id: number }[]
    expect(listed.map((p) => p.id)).toContain(started.id)
  }, 120_000)

  it('cancels a projection, and marks one whose process is killed failed with the reason', async () => {
    const cancelled = until(studio, 'projection:status', ended)
    const first = (await call(studio, 'projections.start', {
      runId,
      space: 'latent',
      method: 'umap',
      seed: 2,
    })) as { id: number }
    await until(studio, 'projection:progress', (p) => p.id === first.id)
    expect(await call(studio, 'projections.cancel', { id: first.id })).toEqual({ cancelled: true })
    expect(await cancelled).toMatchObject({ id: first.id, status: 'cancelled' })

    const failed = until(studio, 'projection:status', ended)
    const second = (await call(studio, 'projections.start', {
      runId,
      space: 'latent',
      method: 'umap',
      seed: 3,
    })) as { id: number }
    await until(studio, 'projection:progress', (p) => p.id === second.id)
    studio.projectors.processes.kill(second.id, 'SIGKILL')
    const status = await failed
    expect(status.status).toBe('failed')
    expect(status.error).toMatch(/stopped unexpectedly.*SIGKILL.*out of memory/)
    const stored = (await call(studio, 'projections.get', { id: second.id })) as { status: string }
    expect(stored.status).toBe('failed')
  }, 120_000)

  it('refuses to project a run without codes, and gives the watched codes of each epoch', async () => {
    const outcome = await dispatch(studio.handlers, 'projections.start', {
      space: 'latent',
      datasetId,
    })
    expect(outcome.ok).toBe(false)
    const codes = (await call(studio, 'runs.epochCodes', { id: runId })) as {
      positions: Int32Array
      dims: number
      epochs: number[]
      codes: Float32Array[]
    }
    expect(codes.epochs).toEqual([1, 2])
    expect(codes.dims).toBe(8)
    expect(codes.positions.length).toBe(2000)
    expect(codes.codes[1].length).toBe(2000 * 8)
    // a page watching a run asks only for the epochs after those it has
    const later = (await call(studio, 'runs.epochCodes', { id: runId, after: 1 })) as typeof codes
    expect(later.epochs).toEqual([2])
    expect(later.codes).toEqual([codes.codes[1]])
    const facets = (await call(studio, 'datasets.facets', { id: datasetId })) as {
      labels: Int32Array
      labelNames: string[]
      folderNames: string[]
    }
    expect(facets.labels.length).toBe(2000)
    expect(facets.labelNames).toHaveLength(10)
    // the legend reads the folder's own name, not its absolute path
    expect(facets.folderNames).toEqual(['fashion-mnist'])
    // items by position, in the order asked, as a scatter's selection fetches them
    const page = (await call(studio, 'datasets.items', { id: datasetId, offset: 0, limit: 6 })) as {
      ids: Int32Array
      pixels: Uint8Array
    }
    const picked = (await call(studio, 'datasets.itemsAt', {
      id: datasetId,
      positions: [5, 0],
    })) as {
      ids: Int32Array
      labels: string[]
      pixels: Uint8Array
    }
    expect(Array.from(picked.ids)).toEqual([page.ids[5], page.ids[0]])
    expect(picked.labels[0]).toBe(facets.labelNames[facets.labels[5]])
    expect(picked.pixels.subarray(784, 1568)).toEqual(page.pixels.subarray(0, 784))
    const missing = await dispatch(studio.handlers, 'datasets.itemsAt', {
      id: datasetId,
      positions: [2000],
    })
    expect(missing.ok).toBe(false)
  })
})
