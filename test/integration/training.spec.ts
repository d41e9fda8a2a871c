// Training in its own process, as the app does it: events stream, everything is stored, and a
// killed process leaves an interrupted run with its finished epochs and checkpoint.
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EventName, Events } from '../../main/core/contract'
import { dispatch } from '../../main/core/dispatch'
import { Studio } from '../../main/core/service'
import type { RunSummary } from '../../main/core/shared/runs'
import type { ImportResult } from '../../main/core/shared/types'
import { tempWorkspaceFile } from '../helpers/temp'

const resources = join(import.meta.dirname, '..', '..', 'resources')
const sample = ['sample-images-idx3-ubyte.gz', 'sample-labels-idx1-ubyte.gz'].map((f) =>
  join(resources, 'sample', 'fashion-mnist', f),
)

async function call<T>(studio: Studio, method: string, params: unknown): Promise<T> {
  const outcome = await dispatch(studio.handlers, method, params)
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`)
  return outcome.result as T
}

function nextEvent<E extends EventName>(
  studio: Studio,
  event: E,
  accept: (payload: Events[E]) => boolean = () => true,
): Promise<Events[E]> {
  return new Promise((resolve) => {
    const stop = studio.onEvent((name, payload) => {
      if (name === event && accept(payload as Events[E])) {
        stop()
        resolve(payload as Events[E])
      }
    })
  })
}

/** The run's end: completed or failed. */
function ended(studio: Studio) {
  return nextEvent(
    studio,
    'training:status',
    (s) => s.status === 'completed' || s.status === 'failed',
  )
}

async function withSample() {
  const studio = new Studio({
    workspaceFile: tempWorkspaceFile(),
    resourcesDir: resources,
    shell: 'test',
    version: 'test',
  })
  const imported = await call<ImportResult>(studio, 'datasets.import', { paths: sample })
  return { studio, datasetId: imported.datasetId }
}

const small = { hidden: [32], latent: 4, batchSize: 100, backend: 'cpu', seed: 3 }

describe('training in its own process', () => {
  it('trains to completion, streaming progress and storing epochs, checkpoints and embeddings', async () => {
    const { studio, datasetId } = await withSample()
    const progress: number[] = []
    studio.onEvent((name, payload) => {
      if (name === 'training:progress') progress.push(payload.batch)
    })
    const done = ended(studio)
    const run = await call<RunSummary>(studio, 'runs.start', {
      datasetId,
      config: { ...small, epochs: 2 },
    })
    const finished = await done
    expect(finished.error).toBeUndefined()
    expect(finished.status).toBe('completed')
    const stored = studio.runs.get(run.id)
    expect(stored).toMatchObject({ status: 'completed', backend: 'cpu', epochs: 2 })
    expect(progress.length).toBeGreaterThan(0)
    const epochs = studio.runs.epochs(run.id)
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2])
    expect(epochs[1].trainLoss).toBeLessThan(epochs[0].trainLoss)
    const embeddings = studio.runs.embeddings(run.id)!
    expect(embeddings.rows).toBe(2000)
    expect(embeddings.dims).toBe(4)
    expect(embeddings.errors.every((e) => e >= 0 && e < 1)).toBe(true)
    expect(studio.runs.checkpoint(run.id, 'last')?.epoch).toBe(2)
    expect(studio.runs.epochCodes(run.id)).toHaveLength(2)
    studio.close()
  })

  it.skipIf(availableParallelism() < 2)(
    'splits the batches of a large enough job over the cores, and says so',
    async () => {
      const { studio, datasetId } = await withSample()
      const running = nextEvent(studio, 'training:status', (s) => s.status === 'running')
      const done = ended(studio)
      // 784-1024-8 on 1,800 training images: 2.9e9 parameter-rows, above threadsFor's 2e9
      const run = await call<RunSummary>(studio, 'runs.start', {
        datasetId,
        config: { hidden: [1024], latent: 8, batchSize: 256, backend: 'wasm', epochs: 1 },
      })
      const started = await running
      const threads = Math.min(availableParallelism(), 4)
      expect(started.threads).toBe(threads)
      expect(started.backendNotes).toContain(`${threads} threads share each batch`)
      expect((await done).status).toBe('completed')
      expect(studio.runs.get(run.id).summary).toMatchObject({ backend: 'wasm', threads })
      studio.close()
    },
  )

  it('trains a conv model on wasm and stores its codes and its conv checkpoint', async () => {
    const { studio, datasetId } = await withSample()
    const done = nextEvent(studio, 'training:status', (s) =>
      ['completed', 'failed'].includes(s.status),
    )
    const run = await call<RunSummary>(studio, 'runs.start', {
      datasetId,
      config: {
        model: 'conv',
        filters: [4, 8],
        hidden: [],
        latent: 3,
        epochs: 1,
        batchSize: 200,
        backend: 'wasm',
      },
    })
    const finished = await done
    expect(finished.error).toBeUndefined()
    expect(studio.runs.get(run.id)).toMatchObject({ status: 'completed', backend: 'wasm' })
    const embeddings = studio.runs.embeddings(run.id)!
    expect([embeddings.rows, embeddings.dims]).toEqual([2000, 3])
    expect(embeddings.codes.every(Number.isFinite)).toBe(true)
    expect(studio.runs.checkpoint(run.id, 'last')?.manifest).toMatchObject({
      variables: expect.arrayContaining([{ name: 'layer0.W', shape: [3, 3, 1, 4] }]),
    })
    studio.close()
  })

  it('gives the same losses for the same seed', async () => {
    const { studio, datasetId } = await withSample()
    const losses: number[][] = []
    for (let i = 0; i < 2; i++) {
      const done = ended(studio)
      const run = await call<RunSummary>(studio, 'runs.start', {
        datasetId,
        config: { ...small, epochs: 1 },
      })
      await done
      losses.push(studio.runs.epochs(run.id).map((e) => e.trainLoss))
    }
    expect(losses[0]).toEqual(losses[1])
    studio.close()
    // two training processes one after the other, as below; CI's 60 s ran out on busy cores
  }, 180_000)

  it('marks a run interrupted when its process is killed, keeping finished epochs and the checkpoint', async () => {
    const { studio, datasetId } = await withSample()
    const firstEpoch = nextEvent(studio, 'training:epoch')
    const run = await call<RunSummary>(studio, 'runs.start', {
      datasetId,
      config: { ...small, epochs: 500 },
    })
    await firstEpoch
    const interrupted = nextEvent(studio, 'training:status', (s) => s.status === 'interrupted')
    process.kill(studio.trainers.pid(run.id)!, 'SIGKILL')
    const status = await interrupted
    expect(status.error).toMatch(/SIGKILL/)
    const stored = studio.runs.get(run.id)
    expect(stored.status).toBe('interrupted')
    expect(stored.epochs).toBeGreaterThanOrEqual(1)
    expect(studio.runs.checkpoint(run.id, 'last')!.epoch).toBe(stored.epochs)
    studio.close()
  })

  it('continues an interrupted run from its last checkpoint to the end', async () => {
    const { studio, datasetId } = await withSample()
    const firstEpoch = nextEvent(studio, 'training:epoch')
    const run = await call<RunSummary>(studio, 'runs.start', {
      datasetId,
      config: { ...small, epochs: 6 },
    })
    await firstEpoch
    const interrupted = nextEvent(studio, 'training:status', (s) => s.status === 'interrupted')
    process.kill(studio.trainers.pid(run.id)!, 'SIGKILL')
    await interrupted
    const kept = studio.runs.get(run.id).epochs
    expect(kept).toBeLessThan(6)
    const done = ended(studio)
    await call(studio, 'runs.continue', { id: run.id })
    expect((await done).status).toBe('completed')
    expect(studio.runs.epochs(run.id).map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6])
    const refused = await dispatch(studio.handlers, 'runs.continue', { id: run.id })
    expect(refused.ok).toBe(false)
    studio.close()
    // two training processes one after the other: about a minute on a quiet 2-core machine
  }, 180_000)

  it('pauses, resumes and cancels', async () => {
    const { studio, datasetId } = await withSample()
    const started = nextEvent(studio, 'training:progress')
    const run = await call<RunSummary>(studio, 'runs.start', {
      datasetId,
      config: { ...small, epochs: 500 },
    })
    await started
    expect((await call<RunSummary>(studio, 'runs.pause', { id: run.id })).status).toBe('paused')
    expect((await call<RunSummary>(studio, 'runs.resume', { id: run.id })).status).toBe('running')
    const cancelled = nextEvent(studio, 'training:status', (s) => s.status === 'cancelled')
    await call(studio, 'runs.cancel', { id: run.id })
    await cancelled
    expect(studio.runs.get(run.id).status).toBe('cancelled')
    studio.close()
  })

  it('refuses a config a user got wrong, with a message naming the field', async () => {
    const { studio, datasetId } = await withSample()
    const outcome = await dispatch(studio.handlers, 'runs.start', {
      datasetId,
      config: { latent: 1 },
    })
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('bad-params')
      expect(outcome.error.message).toMatch(/latent/)
    }
    studio.close()
  })
})
