// The run methods that stopped and interrupted runs share with completed ones: their codes,
// exports and Continue (docs/working-with-data.md, "Stopped and interrupted runs").
import type { Handlers } from '../dispatch'
import { StudioError } from '../errors'
import { exportRun } from '../export'
import type { Decoders } from '../reconstruction/decoders'
import type { ClusteringsStore } from '../store/clusterings-store'
import type { DatasetsStore } from '../store/datasets-store'
import type { ProjectionsStore } from '../store/projections-store'
import type { RunsStore } from '../store/runs-store'
import type { Trainers } from '../training/trainers'
import type { RunCodes } from './codes'

type Methods = 'runs.embeddings' | 'runs.export' | 'runs.continue'

/** Statuses a run may continue from: it ended without finishing its epochs. */
const continuable = ['interrupted', 'cancelled']

export function runCodeHandlers(core: {
  runs: RunsStore
  datasets: DatasetsStore
  codes: RunCodes
  /** for Parquet's cluster and layout columns */
  clusterings: ClusteringsStore
  projections: ProjectionsStore
  trainers: Trainers
  decoders: Decoders
  /** runs cancellable work under a job id (jobs.cancel) */
  job: <T>(jobId: string | undefined, work: (signal: AbortSignal) => Promise<T>) => Promise<T>
  emit: (event: 'export:progress', payload: { jobId: string; done: number; total: number }) => void
}): Pick<Handlers, Methods> {
  const { runs, codes } = core
  return {
    'runs.embeddings': ({ id }) => codes.ensure(id),
    'runs.export': async (params) => {
      if (params.kind !== 'model') await codes.ensure(params.id)
      const { datasets, clusterings, projections } = core
      const { jobId } = params
      return core.job(jobId, (signal) =>
        exportRun({ runs, datasets, clusterings, projections }, params, {
          signal,
          onProgress: (progress) =>
            core.emit('export:progress', { jobId: jobId ?? '', ...progress }),
        }),
      )
    },
    'runs.continue': ({ id }) => {
      const run = runs.get(id)
      if (!continuable.includes(run.status))
        throw new StudioError(
          'bad-params',
          `Run ${id} is ${run.status}: only a stopped or interrupted run can continue from its checkpoint.`,
        )
      const checkpoint = runs.checkpoint(id, 'last')
      if (!checkpoint)
        throw new StudioError(
          'bad-params',
          `Run ${id} stopped before its first epoch was done: it has no checkpoint to continue from. Train it again.`,
        )
      core.decoders.forget() // its model will change
      codes.retrain(id)
      runs.claim(id)
      core.trainers.start(id, { resume: true })
      return runs.get(id)
    },
  }
}
