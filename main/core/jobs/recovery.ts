// Keeps a workspace's long jobs honest while several processes share it. Every few seconds
// (and once when the workspace opens) this process says it lives, then ends the jobs whose owner
// is gone: a half-made import is removed, a run becomes interrupted (its epochs and checkpoint
// kept, ready to continue), a projection or clustering fails with the reason. It also reports
// what other processes' jobs did since the last look, so an open app shows a run a `studio train`
// started, and notices when that command is killed.
import type { EventName, Events } from '../contract'
import type { ClusteringsStore } from '../store/clusterings-store'
import type { DatasetsStore } from '../store/datasets-store'
import { isAlive, type Owners } from '../store/owners'
import type { ProjectionsStore } from '../store/projections-store'
import { orphanMessage, type LiveRun, type RunsStore } from '../store/runs-store'

/** How often the workspace is looked at, in milliseconds. */
export const watchInterval = 2_000

export interface RecoveryDeps {
  owners: Owners
  datasets: DatasetsStore
  runs: RunsStore
  projections: ProjectionsStore
  clusterings: ClusteringsStore
  /** the jobs this process is computing right now */
  mine: { runs(): number[]; projections(): number[]; clusterings(): number[] }
  emit<E extends EventName>(event: E, payload: Events[E]): void
}

export interface Recovered {
  datasets: number[]
  runs: number[]
  projections: number[]
  clusterings: number[]
}

type Emit = RecoveryDeps['emit']
type Rows = { id: number; owner: number | null }[]

/**
 * Jobs another process computes, last seen how: what changed since is announced as the events
 * that process's own listeners heard (training:status, projection:status, clustering:status).
 */
class ForeignJobs {
  private readonly runs = new Map<number, LiveRun['status']>()
  private readonly projections = new Set<number>()
  private readonly clusterings = new Set<number>()

  constructor(
    private readonly deps: RecoveryDeps,
    private readonly emit: Emit,
  ) {}

  /** True for a run of another process this one has announced as under way. */
  follows(runId: number): boolean {
    return this.runs.has(runId)
  }

  look(): void {
    const { runs, projections, clusterings, mine } = this.deps
    const ownRuns = new Set(mine.runs())
    const live = new Map(
      runs
        .live()
        .filter((run) => !ownRuns.has(run.id))
        .map((run) => [run.id, run.status]),
    )
    for (const [runId, status] of live)
      if (this.runs.get(runId) !== status) {
        this.runs.set(runId, status)
        this.emit('training:status', { runId, status })
      }
    for (const runId of this.runs.keys())
      if (!live.has(runId)) {
        this.runs.delete(runId)
        if (ownRuns.has(runId)) continue // this process took it over (continue)
        const ended = tryGet(() => runs.get(runId))
        if (ended) this.emit('training:status', endedStatus(runId, ended))
      }
    this.follow(this.projections, projections, mine.projections(), 'projection:status')
    this.follow(this.clusterings, clusterings, mine.clusterings(), 'clustering:status')
  }

  private follow(
    known: Set<number>,
    store: ProjectionsStore | ClusteringsStore,
    own: number[],
    event: 'projection:status' | 'clustering:status',
  ): void {
    const running = new Set(
      store
        .running()
        .map((row) => row.id)
        .filter((id) => !own.includes(id)),
    )
    for (const id of running)
      if (!known.has(id)) {
        known.add(id)
        this.emit(event, { id, status: 'running' })
      }
    for (const id of known)
      if (!running.has(id)) {
        known.delete(id)
        const ended = tryGet(() => store.get(id))
        if (ended && ended.status !== 'running')
          this.emit(event, { id, status: ended.status, error: ended.error ?? undefined })
      }
  }
}

function tryGet<T>(get: () => T): T | null {
  try {
    return get()
  } catch {
    return null // deleted meanwhile
  }
}

function endedStatus(
  runId: number,
  run: { status: Events['training:status']['status']; error: string | null },
) {
  return { runId, status: run.status, error: run.error ?? undefined }
}

export class Recovery {
  private timer: NodeJS.Timeout | undefined
  private readonly foreign: ForeignJobs

  constructor(private readonly deps: RecoveryDeps) {
    this.foreign = new ForeignJobs(deps, deps.emit)
  }

  /** Ends the jobs whose owner is gone; returns what it ended. */
  recover(): Recovered {
    const { owners, datasets, runs, projections, clusterings, mine } = this.deps
    const gone = owners.gone()
    const orphaned = (owner: number | null) => owner === null || gone.has(owner)
    // A job this process owns but no longer computes lost its process, and its exit went
    // unrecorded (the disk was full, say): it is an orphan too.
    const lost = (ids: number[]) => (row: { id: number; owner: number | null }) =>
      orphaned(row.owner) || (row.owner === owners.id && !ids.includes(row.id))
    const ownRuns = mine.runs()
    const recovered: Recovered = {
      datasets: datasets.removeUnfinished((owner) => owner !== owners.id && orphaned(owner)),
      // a run from before owners existed is judged by its training process alone
      runs: runs.markOrphans(
        (run) => (run.owner === null ? run.pid === null || !isAlive(run.pid) : lost(ownRuns)(run)),
        (run) =>
          run.owner === null || run.owner === owners.id
            ? orphanMessage
            : `It was training in ${owners.describe(run.owner)}, which ended before the run did (it was closed or killed). Finished epochs and the last checkpoint are kept: continue the run.`,
      ),
      projections: this.fail(
        projections,
        'projection:status',
        projections.running().filter(lost(mine.projections())),
      ),
      clusterings: this.fail(
        clusterings,
        'clustering:status',
        clusterings.running().filter(lost(mine.clusterings())),
      ),
    }
    owners.forget(gone)
    for (const runId of recovered.runs) {
      // a run followed as another process's is announced by the next look, once
      if (this.foreign.follows(runId)) continue
      const run = tryGet(() => runs.get(runId))
      if (run) this.deps.emit('training:status', endedStatus(runId, run))
    }
    return recovered
  }

  /** One look: the beat, the recovery, and what other processes' jobs did meanwhile. */
  tick(): void {
    this.deps.owners.beat()
    this.recover()
    this.foreign.look()
  }

  /** Looks every `watchInterval` until stop(); the timer never keeps a CLI command alive. */
  start(): void {
    this.foreign.look()
    this.timer = setInterval(() => {
      try {
        this.tick()
      } catch (error) {
        // a busy or full disk: the next look tries again
        console.error('[workspace]', error instanceof Error ? error.message : error)
      }
    }, watchInterval)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private fail(
    store: ProjectionsStore | ClusteringsStore,
    event: 'projection:status' | 'clustering:status',
    rows: Rows,
  ): number[] {
    const error =
      'The process computing it ended before it finished (it was closed or killed). Start it again.'
    for (const { id } of rows) {
      store.finish(id, 'failed', error)
      this.deps.emit(event, { id, status: 'failed', error })
    }
    return rows.map((row) => row.id)
  }
}
