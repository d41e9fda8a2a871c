// The contract's projection and latent-space methods: what the latent explorer and the UMAP
// comparison ask of the core. Layouts are computed by Projectors in their own processes.
import type { Handlers } from '../dispatch'
import { watchedPositions } from '../shared/runs'
import type { DatasetsStore } from '../store/datasets-store'
import type { ProjectionsStore } from '../store/projections-store'
import type { RunsStore } from '../store/runs-store'
import type { Projectors } from './projectors'
import type { RunCodes } from '../runs/codes'

type Methods =
  | 'datasets.facets'
  | 'datasets.itemsAt'
  | 'runs.epochCodes'
  | 'projections.start'
  | 'projections.get'
  | 'projections.list'
  | 'projections.cancel'

export function projectionHandlers(core: {
  datasets: DatasetsStore
  runs: RunsStore
  projections: ProjectionsStore
  projectors: Projectors
  codes: RunCodes
}): Pick<Handlers, Methods> {
  const { datasets, runs, projections, projectors } = core
  return {
    'datasets.facets': ({ id }) => datasets.facets(id),
    'datasets.itemsAt': ({ id, positions }) => datasets.itemsAt(id, positions),
    'runs.epochCodes': ({ id, after }) => {
      const run = runs.get(id)
      // a page watching a run asks only for the epochs it lacks: all of them each epoch grew
      // with the run (5,000 codes an epoch) and held up the process answering the UI
      const stored = runs.epochCodes(id, after)
      const count = datasets.get(run.datasetId).items
      const positions = watchedPositions(count)
      const dims = stored.length ? stored[0].codes.length / positions.length : 0
      return {
        positions,
        dims,
        epochs: stored.map((e) => e.epoch),
        codes: stored.map((e) => e.codes),
      }
    },
    'projections.start': async ({ runId, datasetId, recompute, space, method, ...params }) => {
      const source = {
        datasetId: runId !== undefined ? runs.get(runId).datasetId : datasetId!,
        runId: space === 'latent' ? runId! : null,
        space,
        method,
        params,
      }
      datasets.get(source.datasetId)
      // a stopped or interrupted run's codes are computed from its checkpoint the first time
      if (space === 'latent') await core.codes.ensure(runId!)
      const stored = projections.find(source)
      if (stored && !recompute) {
        if (stored.status === 'completed') return stored
        if (stored.status === 'running' && projectors.running.includes(stored.id)) return stored
      }
      const id = projections.create(source)
      projectors.start(id)
      return projections.get(id)
    },
    'projections.get': ({ id }) => projections.withCoords(id),
    'projections.list': ({ datasetId }) => projections.list(datasetId),
    'projections.cancel': ({ id }) => ({ cancelled: projectors.cancel(id) }),
  }
}
