// Stopped and interrupted runs are first-class (docs/working-with-data.md): a stopped run keeps
// its codes and warnings, and is projected, clustered, reconstructed, exported and continued; an
// interrupted one gets its codes from its checkpoint the first time they are needed.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, sampleFiles, until } from '../helpers/studio'
import { Studio } from '../../main/core/service'
import type { RunSummary } from '../../main/core/shared/runs'
import { tempDir } from '../helpers/temp'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'

const resources = join(import.meta.dirname, '..', '..', 'resources')
const config = { hidden: [32], latent: 4, batchSize: 100, backend: 'cpu', seed: 3, epochs: 200 }

describe('a stopped run', () => {
  let studio: Studio
  let dir: string
  let datasetId: number
  let runId: number

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-stopped-'))
    studio = new Studio({
      workspaceFile: join(dir, 'workspace.sqlite'),
      resourcesDir: resources,
      shell: 'test',
      version: 'test',
    })
    ;({ datasetId } = (await call(studio, 'datasets.import', { paths: sampleFiles })) as {
      datasetId: number
    })
    const second = until(studio, 'training:epoch', (e) => e.report.epoch === 2)
    const run = (await call(studio, 'runs.start', { datasetId, config })) as RunSummary
    runId = run.id
    await second
    const stopped = until(studio, 'training:status', (s) => s.status === 'cancelled')
    await call(studio, 'runs.cancel', { id: runId })
    await stopped
  })
  afterAll(() => {
    studio.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps its codes, errors and a summary with warnings, and stays "cancelled"', async () => {
    const run = studio.runs.get(runId)
    expect(run.status).toBe('cancelled')
    const checkpoint = studio.runs.checkpoint(runId, 'last')!
    expect(run.summary).toMatchObject({ epochs: checkpoint.epoch, warnings: [] })
    const codes = studio.runs.embeddings(runId)!
    expect(codes.rows).toBe(2000)
    expect(codes.errors.every((e) => Number.isFinite(e) && e >= 0)).toBe(true)
  })

  it('is projected, clustered, reconstructed and exported like a completed run', async () => {
    const projected = until(studio, 'projection:status', (s) => s.status !== 'running')
    await call(studio, 'projections.start', { runId, space: 'latent', method: 'pca' })
    expect((await projected).status).toBe('completed')
    const clustered = until(studio, 'clustering:status', (s) => s.status !== 'running')
    await call(studio, 'clusterings.start', { runId, k: 3, nInit: 1 })
    expect((await clustered).status).toBe('completed')
    const page = (await call(studio, 'reconstructions.page', { id: runId, limit: 4 })) as {
      positions: Int32Array
    }
    expect(page.positions).toHaveLength(4)
    const out = join(tempDir(), 'codes.csv')
    await call(studio, 'runs.export', { id: runId, kind: 'embeddings', out })
    expect(existsSync(out)).toBe(true)
  })

  it('continues from its checkpoint, dropping the codes and layouts of the old weights', async () => {
    const done = until(studio, 'training:status', (s) => s.status === 'cancelled')
    const third = until(studio, 'training:epoch', (e) => e.report.epoch === 3)
    const continued = (await call(studio, 'runs.continue', { id: runId })) as RunSummary
    expect(['queued', 'running']).toContain(continued.status)
    expect(studio.runs.embeddings(runId)).toBeNull()
    expect(studio.projections.list(datasetId).filter((p) => p.runId === runId)).toEqual([])
    await expect(call(studio, 'runs.embeddings', { id: runId })).rejects.toThrow(/still training/)
    await third
    await call(studio, 'runs.cancel', { id: runId })
    await done
    expect(studio.runs.get(runId).summary?.epochs).toBeGreaterThanOrEqual(3)
  })

  it('when interrupted without codes, gets them from its checkpoint the first time', async () => {
    studio.db.prepare(`DELETE FROM embeddings WHERE run_id = ?`).run(runId)
    studio.db.prepare(`UPDATE runs SET status = 'interrupted' WHERE id = ?`).run(runId)
    const codes = (await call(studio, 'runs.embeddings', { id: runId })) as { rows: number }
    expect(codes.rows).toBe(2000)
    expect(studio.runs.embeddings(runId)?.rows).toBe(2000)
    await expect(call(studio, 'runs.continue', { id: runId })).resolves.toBeTruthy()
    const stopped = until(studio, 'training:status', (s) => s.status === 'cancelled')
    await call(studio, 'runs.cancel', { id: runId })
    await stopped
  })

  it('refuses, saying why, a run stopped before its first epoch', async () => {
    const id = studio.runs.create({ datasetId, name: 'empty', config })
    studio.runs.finish(id, { status: 'cancelled' })
    await expect(call(studio, 'runs.embeddings', { id })).rejects.toThrow(
      /before its first epoch was done/,
    )
    await expect(call(studio, 'runs.continue', { id })).rejects.toThrow(/no checkpoint/)
    await expect(call(studio, 'clusterings.start', { runId: id, k: 2 })).rejects.toThrow(
      /before its first epoch was done/,
    )
  })
})
