import { describe, expect, it } from 'vitest'
import { openWorkspace, schemaVersion, type Workspace } from '../../../../main/core/store/workspace'
import { migrations } from '../../../../main/core/store/migrations'
import { DatasetsStore } from '../../../../main/core/store/datasets-store'
import {
  orphanMessage,
  RunsStore,
  type CheckpointKind,
  type EpochRow,
} from '../../../../main/core/store/runs-store'
import { tempWorkspaceFile } from '../../../helpers/temp'

const options = {
  size: 28,
  channels: 'grey',
  fit: 'pad',
  background: 'black',
  maxPixels: 1e8,
} as const

function workspace(): Workspace {
  return openWorkspace(tempWorkspaceFile())
}

function dataset(db: Workspace, name = 'digits'): number {
  const store = new DatasetsStore(db)
  const id = store.create({ name, width: 2, height: 2, channels: 'grey', options, sources: [] })
  store.markReady(id)
  return id
}

function epoch(n: number, trainLoss = 1 / (n + 1)): EpochRow {
  return {
    epoch: n,
    trainLoss,
    valLoss: trainLoss * 1.1,
    mse: trainLoss * 0.9,
    terms: { reconstruction: trainLoss * 0.9, kl: trainLoss * 0.1 },
    seconds: 1.5,
    samplesPerSec: 4000,
  }
}

function count(db: Workspace, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
}

const byNumber = (x: number, y: number): number => x - y

/** Bit patterns, so NaN payloads and -0 count as differences. */
function bits(array: Float32Array | Int32Array): number[] {
  return Array.from(new Uint32Array(array.buffer, array.byteOffset, array.length))
}

describe('RunsStore', () => {
  it('migrates a file at schema 2 to the latest, keeping its datasets and accepting runs for them', () => {
    const file = tempWorkspaceFile()
    const old = openWorkspace(file, { migrations: migrations.slice(0, 2) })
    expect(schemaVersion(old)).toBe(2)
    // written as that version wrote it: today's DatasetsStore needs the newer columns
    const datasetId = Number(
      old
        .prepare(
          `INSERT INTO datasets (name, status, width, height, channels, fit, options, sources)
           VALUES ('old', 'ready', 2, 2, 'grey', 'pad', '{}', '[]')`,
        )
        .run().lastInsertRowid,
    )
    old.close()

    const db = openWorkspace(file)
    expect(schemaVersion(db)).toBe(migrations.length)
    expect(new DatasetsStore(db).list().map((d) => d.name)).toEqual(['old'])
    const runs = new RunsStore(db)
    const id = runs.create({ datasetId, name: 'first', config: {} })
    expect(runs.get(id)).toMatchObject({ datasetId, datasetName: 'old', status: 'queued' })
    db.close()
  })

  it('round-trips a run through create, start, epochs and finish', () => {
    const db = workspace()
    const datasetId = dataset(db)
    const runs = new RunsStore(db)
    const config = { latent: 2, layers: [64, 32], objective: { kind: 'vae', beta: 1 } }
    const id = runs.create({ datasetId, name: 'vae', config })

    const queued = runs.get(id)
    expect(queued).toMatchObject({
      id,
      datasetId,
      datasetName: 'digits',
      name: 'vae',
      status: 'queued',
      config,
      backend: null,
      startedAt: null,
      finishedAt: null,
      error: null,
      notes: '',
      summary: null,
      epochs: 0,
      lastEpoch: null,
    })
    expect(queued.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

    runs.start(id, { backend: 'wasm', pid: 4242 })
    const running = runs.get(id)
    expect(running).toMatchObject({ status: 'running', backend: 'wasm' })
    expect(running.startedAt).not.toBeNull()

    runs.addEpoch(id, epoch(0))
    runs.addEpoch(id, { ...epoch(1), valLoss: null, mse: null, terms: {} })
    runs.addEpoch(id, epoch(2))
    expect(runs.epochs(id)).toEqual([
      epoch(0),
      { ...epoch(1), valLoss: null, mse: null, terms: {} },
      epoch(2),
    ])

    runs.setStatus(id, 'paused')
    expect(runs.get(id).status).toBe('paused')
    runs.setStatus(id, 'running')

    const summary = {
      trainLoss: 0.33,
      valLoss: 0.36,
      mse: 0.02,
      samplesPerSec: 4000,
      seconds: 4.5,
      epochs: 3,
      bestEpoch: 2,
      stoppedEarly: false,
      backend: 'cpu',
    }
    runs.finish(id, { status: 'completed', summary })
    const done = runs.get(id)
    expect(done).toMatchObject({ status: 'completed', summary, error: null, epochs: 3 })
    expect(done.lastEpoch).toEqual(epoch(2))
    expect(done.finishedAt).not.toBeNull()
    expect(() => runs.setStatus(id, 'paused')).toThrow(/only a running or paused run/)

    const failed = runs.create({ datasetId, name: 'broken', config })
    runs.finish(failed, { status: 'failed', error: 'Out of memory.' })
    expect(runs.get(failed)).toMatchObject({ status: 'failed', error: 'Out of memory.' })

    expect(runs.rename(id, 'vae, beta 1').name).toBe('vae, beta 1')
    expect(runs.setNotes(id, 'blurry sevens').notes).toBe('blurry sevens')
    db.close()
  })

  it('writes an epoch with its checkpoints and codes in one transaction: all or nothing', () => {
    const db = workspace()
    const runs = new RunsStore(db)
    const id = runs.create({ datasetId: dataset(db), name: 'r', config: {} })
    const weights = new Float32Array([1, 2, 3])
    runs.addEpochWithCheckpoints(
      id,
      epoch(0),
      [{ kind: 'last', epoch: 0, weights, manifest: [{ name: 'w', shape: [3] }] }],
      new Float32Array([0.5, -0.5]),
    )
    expect(runs.epochs(id).map((e) => e.epoch)).toEqual([0])
    expect(runs.epochCodes(id)).toEqual([{ epoch: 0, codes: new Float32Array([0.5, -0.5]) }])
    // a page watching the run asks only for the epochs it has not seen
    expect(runs.epochCodes(id, 0)).toEqual([])

    // The second checkpoint violates the kind CHECK after the epoch and the first checkpoint
    // were written: none of epoch 1 may survive.
    expect(() =>
      runs.addEpochWithCheckpoints(
        id,
        epoch(1),
        [
          { kind: 'last', epoch: 1, weights: new Float32Array([9, 9, 9]), manifest: [] },
          { kind: 'worst' as CheckpointKind, epoch: 1, weights, manifest: [] },
        ],
        new Float32Array([7, 7]),
      ),
    ).toThrow(/CHECK constraint failed/)
    expect(runs.epochs(id).map((e) => e.epoch)).toEqual([0])
    expect(runs.checkpoint(id, 'last')?.epoch).toBe(0)
    expect(Array.from(runs.checkpoint(id, 'last')!.weights)).toEqual([1, 2, 3])
    expect(runs.epochCodes(id).map((c) => c.epoch)).toEqual([0])
    db.close()
  })

  it("replaces a run's 'last' checkpoint and keeps its 'best' one apart", () => {
    const db = workspace()
    const runs = new RunsStore(db)
    const id = runs.create({ datasetId: dataset(db), name: 'r', config: {} })
    const manifest = { variables: [{ name: 'dense/kernel', shape: [2, 2] }], optimizer: 'adam' }
    runs.addEpochWithCheckpoints(id, epoch(0), [
      { kind: 'last', epoch: 0, weights: new Float32Array([0, 0, 0, 0]), manifest },
      { kind: 'best', epoch: 0, weights: new Float32Array([0, 0, 0, 0]), manifest },
    ])
    runs.addEpochWithCheckpoints(id, epoch(1), [
      { kind: 'last', epoch: 1, weights: new Float32Array([1, 1, 1, 1]), manifest: [] },
    ])
    expect(count(db, 'checkpoints')).toBe(2)
    const last = runs.checkpoint(id, 'last')!
    expect(last.epoch).toBe(1)
    expect(Array.from(last.weights)).toEqual([1, 1, 1, 1])
    expect(last.manifest).toEqual([])
    const best = runs.checkpoint(id, 'best')!
    expect(best.epoch).toBe(0)
    expect(best.manifest).toEqual(manifest)

    const other = runs.create({ datasetId: runs.get(id).datasetId, name: 'r2', config: {} })
    expect(runs.checkpoint(other, 'last')).toBeNull()
    db.close()
  })

  it('returns typed arrays bit for bit, with their own aligned buffers', () => {
    const db = workspace()
    const runs = new RunsStore(db)
    const id = runs.create({ datasetId: dataset(db), name: 'r', config: {} })
    const odd = new Float32Array([NaN, -0, Infinity, -Infinity, 1e-45, 3.4028235e38, Math.PI])
    // A view at an offset inside a larger buffer: only the view's bytes may be stored.
    const backing = new Float32Array([111, 1.5, -2.25, 3.125, 222])
    const weights = backing.subarray(1, 4)
    runs.addEpochWithCheckpoints(
      id,
      epoch(0),
      [{ kind: 'last', epoch: 0, weights, manifest: [] }],
      odd,
    )

    const codes = new Float32Array([0.1, 0.2, 0.3, -0.4, 0.5, 0.6]) // 3 rows × 2 dims
    const errors = new Float32Array([0.01, NaN, 0.03]) // 12 bytes: not a multiple of 8
    const itemIds = new Int32Array([7, -1, 2147483647])
    runs.saveEmbeddings(id, { codes, dims: 2, errors, itemIds })

    const stored = runs.checkpoint(id, 'last')!.weights
    expect(stored).toBeInstanceOf(Float32Array)
    expect(stored.length).toBe(3)
    expect(bits(stored)).toEqual(bits(weights))

    const [{ codes: storedCodes }] = runs.epochCodes(id)
    expect(storedCodes.length).toBe(7)
    expect(bits(storedCodes)).toEqual(bits(odd))

    const embeddings = runs.embeddings(id)!
    expect(embeddings.rows).toBe(3)
    expect(embeddings.dims).toBe(2)
    expect(embeddings.codes).toBeInstanceOf(Float32Array)
    expect(embeddings.errors).toBeInstanceOf(Float32Array)
    expect(embeddings.itemIds).toBeInstanceOf(Int32Array)
    expect(bits(embeddings.codes)).toEqual(bits(codes))
    expect(embeddings.errors.length).toBe(3)
    expect(bits(embeddings.errors)).toEqual(bits(errors))
    expect(Array.from(embeddings.itemIds)).toEqual([7, -1, 2147483647])
    for (const array of [stored, storedCodes, embeddings.codes, embeddings.errors])
      expect(array.byteOffset).toBe(0)

    // Saving again replaces them.
    runs.saveEmbeddings(id, {
      codes: new Float32Array([1, 2, 3]),
      dims: 3,
      errors: new Float32Array([4]),
      itemIds: new Int32Array([5]),
    })
    expect(runs.embeddings(id)).toMatchObject({ rows: 1, dims: 3 })
    expect(count(db, 'embeddings')).toBe(1)
    expect(() =>
      runs.saveEmbeddings(id, {
        codes: new Float32Array(5),
        dims: 2,
        errors: new Float32Array(3),
        itemIds: new Int32Array(3),
      }),
    ).toThrow(/do not fit together/)
    db.close()
  })

  it('deletes runs and everything under them with their dataset, and alone', () => {
    const db = workspace()
    const datasets = new DatasetsStore(db)
    const runs = new RunsStore(db)
    const doomed = dataset(db, 'doomed')
    const kept = dataset(db, 'kept')
    const fill = (datasetId: number): number => {
      const id = runs.create({ datasetId, name: 'r', config: {} })
      runs.addEpochWithCheckpoints(
        id,
        epoch(0),
        [{ kind: 'best', epoch: 0, weights: new Float32Array(4), manifest: [] }],
        new Float32Array(2),
      )
      runs.saveEmbeddings(id, {
        codes: new Float32Array(2),
        dims: 2,
        errors: new Float32Array(1),
        itemIds: new Int32Array(1),
      })
      return id
    }
    fill(doomed)
    fill(doomed)
    const survivor = fill(kept)
    const tables = ['runs', 'epochs', 'checkpoints', 'embeddings', 'epoch_codes']

    expect(datasets.delete(doomed)).toBe(true)
    for (const table of tables) expect(count(db, table), table).toBe(1)
    expect(runs.list().map((r) => r.id)).toEqual([survivor])

    expect(runs.delete(survivor)).toBe(true)
    expect(runs.delete(survivor)).toBe(false)
    for (const table of tables) expect(count(db, table), table).toBe(0)
    db.close()
  })

  it('marks queued, running and paused runs it is told are orphans as interrupted, and only those', () => {
    const db = workspace()
    const runs = new RunsStore(db)
    const datasetId = dataset(db)
    const run = (pid: number | null, status?: 'paused' | 'completed'): number => {
      const id = runs.create({ datasetId, name: `pid ${pid}`, config: {} })
      if (pid !== null) runs.start(id, { backend: 'cpu', pid })
      if (status === 'paused') runs.setStatus(id, 'paused')
      if (status === 'completed') runs.finish(id, { status: 'completed' })
      return id
    }
    const alive = new Set([100, 200])
    const liveRunning = run(100)
    const livePaused = run(200, 'paused')
    const deadRunning = run(300)
    const deadPaused = run(400, 'paused')
    const deadCompleted = run(500, 'completed')
    const queued = run(null)

    const changed = runs.markOrphans((live) => live.pid !== null && !alive.has(live.pid))
    expect(changed.sort(byNumber)).toEqual([deadRunning, deadPaused].sort(byNumber))
    for (const id of [deadRunning, deadPaused])
      expect(runs.get(id)).toMatchObject({ status: 'interrupted', error: orphanMessage })
    expect(runs.get(liveRunning).status).toBe('running')
    expect(runs.get(livePaused).status).toBe('paused')
    expect(runs.get(deadCompleted)).toMatchObject({ status: 'completed', error: null })
    expect(runs.get(queued).status).toBe('queued')
    expect(runs.markOrphans(() => true, 'gone').sort(byNumber)).toEqual(
      [liveRunning, livePaused, queued].sort(byNumber),
    )
    expect(runs.get(queued)).toMatchObject({ status: 'interrupted', error: 'gone' })
    expect(runs.markOrphans(() => true)).toEqual([])
    db.close()
  })

  it('lists runs newest first, optionally for one dataset', () => {
    const db = workspace()
    const runs = new RunsStore(db)
    const a = dataset(db, 'a')
    const b = dataset(db, 'b')
    const first = runs.create({ datasetId: a, name: 'first', config: {} })
    const second = runs.create({ datasetId: b, name: 'second', config: {} })
    const third = runs.create({ datasetId: a, name: 'third', config: {} })
    runs.addEpoch(first, epoch(0))
    runs.addEpoch(first, epoch(1))

    expect(runs.list().map((r) => r.name)).toEqual(['third', 'second', 'first'])
    expect(runs.list({ datasetId: a }).map((r) => r.id)).toEqual([third, first])
    expect(runs.list({ datasetId: b }).map((r) => r.id)).toEqual([second])
    const [, , listed] = runs.list()
    expect(listed).toMatchObject({ epochs: 2, lastEpoch: epoch(1), datasetName: 'a' })
    db.close()
  })

  it('reports a missing run or dataset as not-found', () => {
    const db = workspace()
    const runs = new RunsStore(db)
    const notFound = { code: 'not-found', message: 'There is no run 99 in this workspace.' }
    expect(() => runs.get(99)).toThrow(expect.objectContaining(notFound))
    expect(() => runs.start(99, { backend: 'cpu', pid: 1 })).toThrow(
      expect.objectContaining(notFound),
    )
    expect(() => runs.addEpoch(99, epoch(0))).toThrow(expect.objectContaining(notFound))
    expect(() => runs.epochs(99)).toThrow(expect.objectContaining(notFound))
    expect(() => runs.rename(99, 'x')).toThrow(expect.objectContaining(notFound))
    expect(() => runs.create({ datasetId: 5, name: 'x', config: {} })).toThrow(
      expect.objectContaining({
        code: 'not-found',
        message: 'There is no dataset 5 in this workspace.',
      }),
    )
    db.close()
  })
})
