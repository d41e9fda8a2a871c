// The contract's run methods: start a run in its own training process, pause, resume, cancel or
// delete it, read and rename runs (Continue, with a run's codes and exports, is runs/handlers.ts), and check an objective's gradients.
import type { Handlers } from '../dispatch'
import { StudioError } from '../errors'
import { variantOf } from '../shared/train-config'
import type { DatasetsStore } from '../store/datasets-store'
import type { Owners } from '../store/owners'
import type { RunsStore } from '../store/runs-store'
import type { Decoders } from '../reconstruction/decoders'
import type { Trainers } from './trainers'

type Methods =
  | 'runs.start'
  | 'training.gradientCheck'
  | 'runs.list'
  | 'runs.get'
  | 'runs.epochs'
  | 'runs.pause'
  | 'runs.resume'
  | 'runs.cancel'
  | 'runs.rename'
  | 'runs.setNotes'
  | 'runs.delete'

export function runHandlers(core: {
  datasets: DatasetsStore
  runs: RunsStore
  trainers: Trainers
  /** told when a run's model changes, so no stale reconstruction is served */
  decoders: Decoders
  owners: Owners
}): Pick<Handlers, Methods> {
  const { datasets, runs, trainers, decoders, owners } = core
  return {
    'runs.start': ({ datasetId, name, config }) => {
      const dataset = datasets.get(datasetId)
      const inputSize = dataset.width * dataset.height * (dataset.channels === 'rgb' ? 3 : 1)
      const stages = config.model === 'conv' ? config.filters.map((c) => `c${c}`) : []
      const layers = [inputSize, ...stages, ...config.hidden, config.latent].join('-')
      const runName = name ?? `${variantOf(config)} ${layers} on ${dataset.name}`
      const runId = runs.create({ datasetId, name: runName, config })
      trainers.start(runId)
      return runs.get(runId)
    },
    'training.gradientCheck': async ({ config }) => {
      // a tiny model: the plain JS backend is exact enough and loads nowhere else
      await import('@tensorflow/tfjs-backend-cpu')
      const tf = await import('@tensorflow/tfjs-core')
      tf.env().set('PROD', true)
      if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu')
      const { checkGradients } = await import('./gradient-check')
      return checkGradients(config)
    },
    'runs.list': ({ datasetId }) => runs.list({ datasetId }),
    'runs.get': ({ id }) => runs.get(id),
    'runs.epochs': ({ id }) => runs.epochs(id),
    'runs.pause': ({ id }) => {
      trainers.pause(id)
      return runs.get(id)
    },
    'runs.resume': ({ id }) => {
      trainers.resume(id)
      return runs.get(id)
    },
    'runs.cancel': ({ id }) => {
      trainers.cancel(id)
      return runs.get(id)
    },
    'runs.rename': ({ id, name }) => runs.rename(id, name),
    'runs.setNotes': ({ id, notes }) => runs.setNotes(id, notes),
    'runs.delete': ({ id }) => {
      decoders.forget()
      if (trainers.running.includes(id))
        throw new StudioError(
          'bad-params',
          'This run is still training: stop it before deleting it.',
        )
      const live = runs.live().find((run) => run.id === id)
      if (live)
        throw new StudioError(
          'bad-params',
          `This run is training in ${owners.describe(live.owner)}: stop it there before deleting it.`,
        )
      return { deleted: runs.delete(id) }
    },
  }
}
