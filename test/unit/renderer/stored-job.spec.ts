// The stored job (renderer/src/composables/stored-job.ts), the one way the views follow a projection or a clustering: start, progress,
// the stored result fetched once it completes, failure and cancel, and only the job it follows.
import { beforeEach, describe, expect, it } from 'vitest'
import {
  storedJob,
  type JobTransport,
  type StoredJobKind,
  type StoredJobOptions,
} from '../../../renderer/src/composables/stored-job'

const listeners = new Map<string, Set<(payload: unknown) => void>>()
const calls: { method: string; params: unknown }[] = []
const answers = new Map<string, (params: { id: number }) => unknown>()

/** The app's transport, played by this test: calls answered from `answers`, events by `emit`. */
const transport = {
  call: async (method: string, params: { id: number }) => {
    calls.push({ method, params })
    const answer = answers.get(method)
    if (!answer) throw new Error(`unexpected call ${method}`)
    return answer(params)
  },
  on: (event: string, listener: (payload: unknown) => void) => {
    if (!listeners.has(event)) listeners.set(event, new Set())
    listeners.get(event)!.add(listener)
    return () => listeners.get(event)!.delete(listener)
  },
} as unknown as JobTransport

const follow = <K extends StoredJobKind>(kind: K, options: StoredJobOptions<K>) =>
  storedJob(kind, transport, options)

function emit(event: string, payload: unknown): void {
  for (const listener of listeners.get(event) ?? []) listener(payload)
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
const started =
  (id: number, status: 'running' | 'completed' = 'running') =>
  async () => ({ id, status, error: null })

beforeEach(() => {
  listeners.clear()
  calls.length = 0
  answers.clear()
})

describe('storedJob', () => {
  it('follows a started job by its progress and fetches its result once it completes', async () => {
    const results: unknown[] = []
    const progress: unknown[] = []
    const { job, start, stop } = follow('projection', {
      onResult: (r) => void results.push(r),
      onProgress: (p) => void progress.push(p),
    })
    answers.set('projections.get', ({ id }) => ({ id, coords: new Float32Array(2) }))
    await start(started(7), 'UMAP')
    expect(job.value).toEqual({ id: 7, label: 'UMAP', phase: 'loading', fraction: 0 })
    // another job's events are not this one's
    emit('projection:progress', { id: 8, phase: 'layout', fraction: 0.9 })
    emit('projection:status', { id: 8, status: 'completed' })
    expect(job.value?.fraction).toBe(0)
    emit('projection:progress', { id: 7, phase: 'layout', fraction: 0.5 })
    expect(job.value).toEqual({ id: 7, label: 'UMAP', phase: 'layout', fraction: 0.5 })
    expect(progress).toHaveLength(1)
    emit('projection:status', { id: 7, status: 'completed' })
    await tick()
    expect(calls.map((c) => c.method)).toEqual(['projections.get'])
    expect(results).toEqual([{ id: 7, coords: new Float32Array(2) }])
    expect(job.value).toBeNull()
    stop()
    expect(listeners.get('projection:status')?.size).toBe(0)
    expect(listeners.get('projection:progress')?.size).toBe(0)
  })

  it('fetches at once a job that was already complete, and never follows it', async () => {
    const results: unknown[] = []
    const { job, start } = follow('clustering', { onResult: (r) => void results.push(r) })
    answers.set('clusterings.get', ({ id }) => ({ id, method: 'kmeans' }))
    await start(started(3, 'completed'))
    expect(job.value).toBeNull()
    expect(results).toEqual([{ id: 3, method: 'kmeans' }])
  })

  it('tells a failure with its reason, a cancel, and a result that cannot be read', async () => {
    const ends: unknown[] = []
    const { job, start, cancel } = follow('clustering', {
      onResult: () => expect.unreachable(),
      onEnd: (end) => void ends.push(end),
    })
    answers.set('clusterings.cancel', () => ({ cancelled: true }))
    await start(started(1))
    emit('clustering:status', { id: 1, status: 'failed', error: 'Out of memory.' })
    expect(job.value).toBeNull()
    await start(started(2))
    await cancel()
    expect(calls).toEqual([{ method: 'clusterings.cancel', params: { id: 2 } }])
    emit('clustering:status', { id: 2, status: 'cancelled' })
    answers.set('clusterings.get', () => {
      throw new Error('Clustering 3 was deleted.')
    })
    await start(started(3))
    emit('clustering:status', { id: 3, status: 'completed' })
    await tick()
    expect(ends).toEqual([
      { status: 'failed', error: 'Out of memory.' },
      { status: 'cancelled', error: null },
      { status: 'failed', error: 'Clustering 3 was deleted.' },
    ])
    // nothing followed: cancel asks nothing
    await cancel()
    expect(calls.filter((c) => c.method === 'clusterings.cancel')).toHaveLength(1)
  })
})
