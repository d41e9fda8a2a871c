// The decoder process as the Reconstructions view uses it: gallery pages by error, denoising,
// interpolation, generation, first-layer units, outlier exports, and a killed process.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../main/core/dispatch'
import { Studio } from '../../main/core/service'
import type { DenoiseResult, GalleryPage, ImageBatch } from '../../main/core/shared/reconstructions'
import type { Embeddings } from '../../main/core/shared/runs'
import { call, sampleWithRun, until } from '../helpers/studio'

let studio: Studio
let dir = ''
let runId = 0
let datasetId = 0
let errors: Float32Array
let close = () => {}

beforeAll(async () => {
  ;({ studio, dir, runId, datasetId, close } = await sampleWithRun({
    hidden: [32],
    latent: 2,
    epochs: 2,
    batchSize: 100,
    backend: 'cpu',
  }))
  errors = ((await call(studio, 'runs.embeddings', { id: runId })) as Embeddings).errors
}, 120_000)

afterAll(() => close())

describe('reconstructions', () => {
  it('pages the gallery worst first and best first, with heatmaps, and filters by label', async () => {
    const worst = (await call(studio, 'reconstructions.page', {
      id: runId,
      limit: 50,
    })) as GalleryPage
    expect(worst.total).toBe(2000)
    expect(worst.positions).toHaveLength(50)
    const sorted = [...errors].sort((a, b) => b - a)
    expect(worst.errors[0]).toBe(sorted[0])
    expect(Array.from(worst.errors)).toEqual([...worst.errors].sort((a, b) => b - a))
    expect(worst.reconstructions).toHaveLength(50 * 784)
    expect(worst.heatmaps).toHaveLength(50 * 784 * 4)
    // a reconstruction is not its original: the worst image differs the most
    let differs = 0
    for (let k = 0; k < 784; k++) differs += Math.abs(worst.originals[k] - worst.reconstructions[k])
    expect(differs / 784).toBeGreaterThan(5)

    const second = (await call(studio, 'reconstructions.page', {
      id: runId,
      offset: 50,
      limit: 50,
    })) as GalleryPage
    expect(second.errors[0]).toBeLessThanOrEqual(worst.errors[49])
    const best = (await call(studio, 'reconstructions.page', {
      id: runId,
      order: 'best',
      limit: 10,
    })) as GalleryPage
    expect(best.errors[0]).toBe(sorted[sorted.length - 1])
    const bags = (await call(studio, 'reconstructions.page', {
      id: runId,
      label: 'Bag',
      limit: 500,
    })) as GalleryPage
    expect(bags.total).toBeGreaterThan(100)
    expect(new Set(bags.labels)).toEqual(new Set(['Bag']))
  })

  it('filters the gallery to one cluster of a clustering', async () => {
    const started = (await call(studio, 'clusterings.start', { runId, k: 3 })) as { id: number }
    await until(studio, 'clustering:status', (s) => s.id === started.id && s.status !== 'running')
    const clustering = (await call(studio, 'clusterings.get', { id: started.id })) as {
      assignments: Int32Array
    }
    const page = (await call(studio, 'reconstructions.page', {
      id: runId,
      cluster: { clusteringId: started.id, index: 1 },
      limit: 500,
    })) as GalleryPage
    const members = clustering.assignments.filter((a) => a === 1).length
    expect(page.total).toBe(members)
    expect(Array.from(page.positions).every((p) => clustering.assignments[p] === 1)).toBe(true)
  })

  it('keeps only the items an items filter keeps, in the gallery and the outlier export', async () => {
    const median = [...errors].sort((a, b) => a - b)[1000]
    const filter = { labels: ['Bag', 'Sandal'], error: { min: median } }
    const { positions } = (await call(studio, 'items.query', {
      datasetId,
      runId,
      filter,
      limit: 0,
      matching: true,
    })) as { positions: Int32Array }
    expect(positions.length).toBeGreaterThan(10)
    const page = (await call(studio, 'reconstructions.page', {
      id: runId,
      filter,
      limit: 500,
    })) as GalleryPage
    expect(page.total).toBe(positions.length)
    expect(Array.from(page.positions).sort((a, b) => a - b)).toEqual(Array.from(positions))
    expect(Array.from(page.errors)).toEqual([...page.errors].sort((a, b) => b - a))
    // with a label of its own too: both hold
    const bags = (await call(studio, 'reconstructions.page', {
      id: runId,
      label: 'Bag',
      filter,
      limit: 500,
    })) as GalleryPage
    expect(new Set(bags.labels)).toEqual(new Set(['Bag']))
    expect(bags.total).toBe(page.labels.filter((l) => l === 'Bag').length)
    // an empty filter is no filter
    const all = (await call(studio, 'reconstructions.page', {
      id: runId,
      filter: {},
      limit: 1,
    })) as GalleryPage
    expect(all.total).toBe(2000)

    const threshold = [...errors].sort((a, b) => b - a)[200]
    const csv = join(dir, 'filtered-outliers.csv')
    await call(studio, 'runs.exportOutliers', { id: runId, threshold, filter, out: csv })
    const rows = readFileSync(csv, 'utf8').trim().split('\r\n').slice(1)
    const expected = Array.from(positions).filter((p) => errors[p] > threshold).length
    expect(rows).toHaveLength(expected)
    expect(rows.every((row) => /,(Bag|Sandal)$/.test(row))).toBe(true)
  })

  it('denoises, interpolates, draws the 2-D manifold and the first-layer units', async () => {
    const denoised = (await call(studio, 'reconstructions.denoise', {
      id: runId,
      positions: [0, 1, 2],
      kind: 'mask',
      level: 0.5,
      seed: 3,
    })) as DenoiseResult
    expect(denoised.corrupted.count).toBe(3)
    const zeros = denoised.corrupted.images.filter(
      (v, i) => v === 0 && denoised.originals.images[i] > 0,
    )
    expect(zeros.length).toBeGreaterThan(100) // half the pixels masked
    const path = (await call(studio, 'reconstructions.interpolate', {
      id: runId,
      from: 0,
      to: 1,
      steps: 5,
    })) as ImageBatch
    expect(path.count).toBe(5)
    expect(path.images).toHaveLength(5 * 784)
    const grid = (await call(studio, 'reconstructions.generate', {
      id: runId,
      kind: 'manifold',
      size: 4,
    })) as ImageBatch
    expect(grid.count).toBe(16)
    const samples = await dispatch(studio.handlers, 'reconstructions.generate', {
      id: runId,
      kind: 'samples',
    })
    expect(samples.ok).toBe(false) // not a VAE
    if (!samples.ok) expect(samples.error.message).toMatch(/variational/)
    const sweep = (await call(studio, 'reconstructions.generate', {
      id: runId,
      kind: 'sweep',
      position: 7,
      dim: 1,
      count: 6,
    })) as ImageBatch
    expect(sweep.count).toBe(6)
    const filters = (await call(studio, 'reconstructions.filters', { id: runId })) as ImageBatch
    expect(filters.count).toBe(32)
    const top = (await call(studio, 'reconstructions.topActivating', { id: runId, unit: 3 })) as {
      positions: Int32Array
    }
    expect(top.positions).toHaveLength(12)
  })

  it('exports the outliers above a threshold as CSV and as a folder of images', async () => {
    const threshold = [...errors].sort((a, b) => b - a)[20] // the 20 worst are above it
    const csv = join(dir, 'outliers.csv')
    await call(studio, 'runs.exportOutliers', { id: runId, threshold, out: csv })
    const lines = readFileSync(csv, 'utf8').trim().split('\r\n')
    expect(lines[0]).toBe('path,error,label')
    expect(lines).toHaveLength(21)
    const folder = join(dir, 'outliers')
    const { files } = (await call(studio, 'runs.exportOutliers', {
      id: runId,
      threshold,
      format: 'folders',
      out: folder,
    })) as { files: string[] }
    expect(files).toHaveLength(20)
    expect(readdirSync(join(folder, 'outliers'))).toHaveLength(20)
  })

  it('fails a request whose process is killed with the reason, and answers the next one', async () => {
    await call(studio, 'reconstructions.filters', { id: runId })
    const pid = studio.decoders.pid!
    const pending = call(studio, 'reconstructions.page', { id: runId, limit: 500, order: 'best' })
    process.kill(pid, 'SIGKILL')
    await expect(pending).rejects.toThrow(/decoder process stopped unexpectedly.*SIGKILL/)
    const again = (await call(studio, 'reconstructions.page', {
      id: runId,
      limit: 5,
    })) as GalleryPage
    expect(again.positions).toHaveLength(5)
  })
})
