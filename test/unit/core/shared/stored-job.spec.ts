// The framework-free follower of a stored job (main/core/shared/stored-job.ts), which the views
// and the CLI both follow projections and clusterings with: start, progress, the stored result
// fetched once, failure, cancel, and only the job it follows.
import { beforeEach, describe, expect, it } from 'vitest'
import {
  followStoredJobs,
  type FollowedJob,
  type JobEnd,
  type JobProgressPayload,
  type JobStatusPayload,
  type StartedJob,
} from '../../../../main/core/shared/stored-job'

/** The core, played by this test: results from `stored`, events sent with `progress`/`status`. */
const stored = new Map<number, string>()
const asked: string[] = []
const progressListeners = new Set<(p: JobProgressPayload) => void>()
const statusListeners = new Set<(s: JobStatusPayload) => void>()
const port = {
  get: async (id: number) => {
    asked.push(`get ${id}`)
    const result = stored.get(id)
    if (result === undefined) throw new Error(`Job ${id} was deleted.`)
    return result
  },
  cancel: async (id: number) => void asked.push(`cancel ${id}`),
  onProgress: (listener: (p: JobProgressPayload) => void) => {
    progressListeners.add(listener)
    return () => void progressListeners.delete(listener)
  },
  onStatus: (listener: (s: JobStatusPayload) => void) => {
    statusListeners.add(listener)
    return () => void statusListeners.delete(listener)
  },
}
const progress = (p: JobProgressPayload) => progressListeners.forEach((l) => l(p))
const status = (s: JobStatusPayload) => statusListeners.forEach((l) => l(s))
const started =
  (id: number, state: StartedJob['status'] = 'running', error: string | null = null) =>
  async (): Promise<StartedJob> => ({ id, status: state, error })
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

function follower() {
  const seen = { results: [] as string[], ends: [] as JobEnd[], jobs: [] as (FollowedJob | null)[] }
  const follow = followStoredJobs(port, {
    onResult: (r) => void seen.results.push(r),
    onEnd: (e) => void seen.ends.push(e),
    onJob: (j) => void seen.jobs.push(j),
  })
  return { ...follow, seen }
}

beforeEach(() => {
  stored.clear()
  asked.length = 0
  progressListeners.clear()
  statusListeners.clear()
})

describe('followStoredJobs', () => {
  it("follows its job's progress, ignores other jobs, and fetches the result once it completes", async () => {
    const { start, current, stop, seen } = follower()
    stored.set(7, 'layout 7')
    await start(started(7), 'UMAP')
    expect(current()).toEqual({ id: 7, label: 'UMAP', phase: 'loading', fraction: 0 })
    progress({ id: 8, phase: 'layout', fraction: 0.9 })
    status({ id: 8, status: 'completed' })
    progress({ id: 7, fraction: 0.25 })
    expect(current()).toEqual({ id: 7, label: 'UMAP', phase: 'running', fraction: 0.25 })
    progress({ id: 7, phase: 'layout', fraction: 0.5 })
    status({ id: 7, status: 'running' })
    expect(current()?.phase).toBe('layout')
    status({ id: 7, status: 'completed' })
    await tick()
    expect(asked).toEqual(['get 7'])
    expect(seen.results).toEqual(['layout 7'])
    expect(current()).toBeNull()
    expect(seen.jobs.at(-1)).toBeNull()
    stop()
    expect(progressListeners.size + statusListeners.size).toBe(0)
  })

  it('fetches a job that was complete when it started without following it', async () => {
    const { start, seen } = follower()
    stored.set(3, 'clustering 3')
    await start(started(3, 'completed'))
    expect(seen.results).toEqual(['clustering 3'])
    expect(seen.jobs).toEqual([null])
  })

  it('tells a failure at start or later, a cancel, and a result that cannot be read', async () => {
    const { start, cancel, current, seen } = follower()
    await start(started(1, 'failed', 'No such run.'))
    await start(started(2))
    status({ id: 2, status: 'failed', error: 'Out of memory.' })
    await start(started(3))
    await cancel()
    expect(asked).toEqual(['cancel 3'])
    status({ id: 3, status: 'cancelled' })
    await start(started(4))
    status({ id: 4, status: 'completed' })
    await tick()
    expect(seen.results).toEqual([])
    expect(seen.ends).toEqual([
      { status: 'failed', error: 'No such run.' },
      { status: 'failed', error: 'Out of memory.' },
      { status: 'cancelled', error: null },
      { status: 'failed', error: 'Job 4 was deleted.' },
    ])
    // nothing followed: cancel asks nothing
    expect(current()).toBeNull()
    await cancel()
    expect(asked.filter((a) => a.startsWith('cancel'))).toHaveLength(1)
  })

  it('leaves a job it no longer follows to run, its events ignored', async () => {
    const { start, cancel, seen } = follower()
    stored.set(5, 'first').set(6, 'second')
    await start(started(5))
    await start(started(6))
    status({ id: 5, status: 'completed' })
    await cancel()
    status({ id: 6, status: 'completed' })
    await tick()
    expect(asked).toEqual(['cancel 6', 'get 6'])
    expect(seen.results).toEqual(['second'])
  })
})
