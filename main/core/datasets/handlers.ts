// The contract's dataset methods: list, read and rename datasets, and import them (a folder,
// archives, arrays or the bundled sample) as cancellable jobs in this process.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Handlers } from '../dispatch'
import { StudioError } from '../errors'
import type { RunJob } from '../jobs/job-ids'
import { sampleFiles } from '../layout'
import type { ImportProgress } from '../shared/types'
import type { DatasetsStore } from '../store/datasets-store'
import type { RunsStore } from '../store/runs-store'
import { importDataset } from './import'
import type { ProgressListener } from './progress'

type Methods =
  | 'datasets.list'
  | 'datasets.get'
  | 'datasets.rename'
  | 'datasets.delete'
  | 'datasets.import'
  | 'datasets.importSample'
  | 'datasets.items'
  | 'datasets.skipped'
  | 'datasets.itemsAtGroups'

export function datasetHandlers(core: {
  datasets: DatasetsStore
  runs: RunsStore
  /** resources/sample of this installation */
  sampleDir: string
  job: RunJob
  emit: (event: 'import:progress', payload: ImportProgress) => void
}): Pick<Handlers, Methods> {
  const { datasets, runs, sampleDir } = core
  const progressOf =
    (jobId: string | undefined): ProgressListener =>
    (progress) =>
      core.emit('import:progress', { ...progress, jobId: jobId ?? '' })
  return {
    'datasets.list': () => datasets.list(),
    'datasets.get': ({ id }) => datasets.get(id),
    'datasets.rename': ({ id, name }) => datasets.rename(id, name),
    'datasets.delete': ({ id }) => {
      const training = runs
        .list({ datasetId: id })
        .find((run) => ['queued', 'running', 'paused'].includes(run.status))
      if (training)
        throw new StudioError(
          'bad-params',
          `Run ${training.id} of this dataset is still training: stop it before deleting the dataset.`,
        )
      return { deleted: datasets.delete(id) }
    },
    'datasets.import': ({ paths, jobId, ...options }) =>
      core.job(jobId, (signal) =>
        importDataset(datasets, paths, options, { signal, onProgress: progressOf(jobId) }),
      ),
    'datasets.importSample': ({ jobId }) => {
      if (!existsSync(sampleDir))
        throw new StudioError('not-found', 'The sample dataset is missing from this installation.')
      return core.job(jobId, (signal) =>
        importDataset(
          datasets,
          sampleFiles.map((file) => join(sampleDir, file)),
          {
            name: 'Fashion-MNIST sample',
            size: 28,
            channels: 'grey',
            fit: 'pad',
            background: 'black',
            maxPixels: 100_000_000,
          },
          { signal, onProgress: progressOf(jobId) },
        ),
      )
    },
    'datasets.items': ({ id, offset, limit, label }) => datasets.items(id, offset, limit, label),
    'datasets.skipped': ({ id }) => datasets.skipped(id),
    'datasets.itemsAtGroups': ({ id, groups }) => datasets.itemsAtGroups(id, groups),
  }
}
