import { defineStore } from 'pinia'
import { markRaw, ref, watch } from 'vue'
import type {
  EpochRow,
  ReconstructionPreview,
  RunOutcome,
  RunStatus,
  RunSummary,
  TrainingProgress,
} from '@shared/runs'
import type { ParamsOf } from '../../../main/core/contract'
import { call, connection, errorData, on } from '../api'
import type { TrainConfig } from '../composables/use-train-config'
import { plural } from '../format'
import { useToasts } from './use-toasts'

/** A run whose training process may still send events. */
export function isActive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'paused'
}

export type { RunOutcome }

export function outcomeOf(run: RunSummary): RunOutcome | null {
  return run.summary
}

/** What only a watching UI knows: the latest batch, the batch losses so far, the last preview. */
export interface LiveRun {
  progress: TrainingProgress | null
  /** x: epochs done, fractional (epoch − 1 + batch / batches); y: that batch's loss */
  batchLoss: { x: number[]; y: number[] }
  preview: { epoch: number; images: ReconstructionPreview } | null
  /** threads each batch is split over, as the run said when it started */
  threads: number | null
  /** why its backend, as the run said when it started */
  backendNotes: string[] | null
}

function emptyLive(): LiveRun {
  const batchLoss = { x: [], y: [] }
  return { progress: null, batchLoss, preview: null, threads: null, backendNotes: null }
}

/** Every run in the workspace, their per-epoch metrics, and the live state of those training. */
export const useRuns = defineStore('runs', () => {
  const runs = ref<RunSummary[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** runs.epochs of each run asked for, kept current by training:epoch */
  const epochs = ref<Record<number, EpochRow[]>>({})
  const live = ref<Record<number, LiveRun>>({})
  const epochsLoading = new Map<number, Promise<EpochRow[]>>()

  async function load(): Promise<void> {
    loading.value = true
    try {
      runs.value = await call('runs.list', {})
      loaded.value = true
      error.value = null
    } catch (caught) {
      error.value = errorData(caught).message
    } finally {
      loading.value = false
    }
  }

  function find(id: number): RunSummary | undefined {
    return runs.value.find((run) => run.id === id)
  }

  function upsert(summary: RunSummary): RunSummary {
    const at = runs.value.findIndex((run) => run.id === summary.id)
    if (at < 0) runs.value = [summary, ...runs.value].sort((a, b) => b.id - a.id)
    else runs.value[at] = summary
    return summary
  }

  async function refresh(id: number): Promise<RunSummary> {
    return upsert(await call('runs.get', { id }))
  }

  function liveOf(id: number): LiveRun {
    return (live.value[id] ??= emptyLive())
  }

  /** The run's epochs, fetched once; events keep them current while it trains. */
  function loadEpochs(id: number, again = false): Promise<EpochRow[]> {
    let pending = again ? undefined : epochsLoading.get(id)
    if (!pending) {
      pending = call('runs.epochs', { id }).then((rows) => {
        // epochs that arrived by event while the call was out are kept
        const known = epochs.value[id] ?? []
        const merged = [...rows, ...known.filter((k) => !rows.some((r) => r.epoch === k.epoch))]
        epochs.value[id] = merged.sort((a, b) => a.epoch - b.epoch)
        return epochs.value[id]
      })
      pending.catch(() => epochsLoading.delete(id))
      epochsLoading.set(id, pending)
    }
    return pending
  }

  on('training:progress', (progress) => {
    const state = liveOf(progress.runId)
    state.progress = progress
    state.batchLoss.x.push(progress.epoch - 1 + progress.batch / progress.batches)
    state.batchLoss.y.push(progress.loss)
    const run = find(progress.runId)
    if (run?.status === 'queued') run.status = 'running'
  })

  on('training:epoch', ({ runId, report, preview }) => {
    const rows = (epochs.value[runId] ??= [])
    const at = rows.findIndex((row) => row.epoch === report.epoch)
    if (at < 0) rows.push(report)
    else rows[at] = report
    liveOf(runId).preview = { epoch: report.epoch, images: markRaw(preview) }
    const run = find(runId)
    if (run) {
      run.epochs = report.epoch
      run.lastEpoch = report
    }
  })

  on('training:status', ({ runId, status, backend, threads, backendNotes, error: message }) => {
    if (threads) liveOf(runId).threads = threads
    if (backendNotes) liveOf(runId).backendNotes = backendNotes
    const run = find(runId)
    if (run) {
      run.status = status
      if (backend) run.backend = backend
      if (message) run.error = message
    }
    if (isActive(status)) {
      if (!run) void refresh(runId).catch(() => {})
      return
    }
    void refresh(runId).then(
      (finished) => announce(finished),
      () => {},
    )
  })

  function announce(run: RunSummary): void {
    const toasts = useToasts()
    if (run.status === 'completed') {
      const outcome = outcomeOf(run)
      const loss = outcome?.valLoss ?? outcome?.trainLoss
      const detail = loss === null || loss === undefined ? '' : `, loss ${loss.toPrecision(4)}`
      toasts.show(`“${run.name}” finished: ${plural(run.epochs, 'epoch')}${detail}`, 'success')
    } else if (run.status === 'failed' || run.status === 'interrupted')
      toasts.show(`“${run.name}” ${run.status}: ${run.error ?? 'no reason given'}`, 'error')
    else if (run.status === 'cancelled')
      toasts.show(`Stopped “${run.name}” after ${plural(run.epochs, 'epoch')}`, 'info')
  }

  async function start(datasetId: number, config: TrainConfig, name?: string) {
    const run = upsert(await call('runs.start', { datasetId, config, name }))
    live.value[run.id] = emptyLive()
    epochs.value[run.id] = []
    return run
  }

  const pause = async (id: number) => upsert(await call('runs.pause', { id }))
  const resume = async (id: number) => upsert(await call('runs.resume', { id }))
  const cancel = async (id: number) => upsert(await call('runs.cancel', { id }))
  /** An interrupted run goes on from its last checkpoint. */
  async function continueRun(id: number): Promise<RunSummary> {
    const run = upsert(await call('runs.continue', { id }))
    live.value[id] = emptyLive()
    return run
  }
  const rename = async (id: number, name: string) => upsert(await call('runs.rename', { id, name }))
  const setNotes = async (id: number, notes: string) =>
    upsert(await call('runs.setNotes', { id, notes }))

  async function remove(id: number): Promise<void> {
    await call('runs.delete', { id })
    runs.value = runs.value.filter((run) => run.id !== id)
    delete epochs.value[id]
    delete live.value[id]
    epochsLoading.delete(id)
  }

  const exportRun = (params: ParamsOf<'runs.export'>) => call('runs.export', params)

  // Back after a lost connection: events were missed; ask again.
  watch(
    () => connection.retrying,
    (retrying, wasRetrying) => {
      if (!wasRetrying || retrying || !loaded.value) return
      void load()
      for (const run of runs.value) if (isActive(run.status)) void loadEpochs(run.id, true)
    },
  )

  /** Threads each batch is split over: stored once a run ends, announced when it starts. */
  function threadsOf(run: RunSummary): number | null {
    return outcomeOf(run)?.threads ?? live.value[run.id]?.threads ?? null
  }

  /** Why a run's backend (the GPU's adapter, or why faster ones were passed over), the same way. */
  function backendNotesOf(run: RunSummary): string[] {
    return outcomeOf(run)?.backendNotes ?? live.value[run.id]?.backendNotes ?? []
  }

  return {
    runs,
    loaded,
    loading,
    error,
    epochs,
    live,
    load,
    find,
    refresh,
    liveOf,
    threadsOf,
    backendNotesOf,
    loadEpochs,
    start,
    pause,
    resume,
    cancel,
    continueRun,
    rename,
    setNotes,
    remove,
    exportRun,
  }
})
