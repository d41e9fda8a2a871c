// The contract's projection and latent-space methods: what the latent explorer and the UMAP
// comparison ask of the core. Layouts are computed by Projectors in their own processes.
import type { Handlers } from '../dispatch'
import { StudioError } from '../errors'
import { watchedPositions } from '../shared/runs'
import type { DatasetsStore } from '../store/datasets-store'
import type { ProjectionsStore } from '../store/projections-store'
import type { RunsStore } from '../store/runs-store'
import type { Projectors } from './projectors'

type Methods =
  | 'datasets.facets'
  | 'datasets.itemsAt'
  | 'runs.embeddings'
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
}): Pick<Handlers, Methods> {
  const { datasets, runs, projections, projectors } = core
  return {
    'datasets.facets': ({ id }) => datasets.facets(id),
    'datasets.itemsAt': ({ id, positions }) => datasets.itemsAt(id, positions),
    'runs.embeddings': ({ id }) => {
      const embeddings = runs.embeddings(id)
      if (!embeddings)
        throw new StudioError(
          'not-found',
          'This run has no codes yet: they are stored when training completes.',
        )
      return embeddings
    },
    'runs.epochCodes': ({ id }) => {
      const run = runs.get(id)
      const stored = runs.epochCodes(id)
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
    'projections.start': ({ runId, datasetId, recompute, space, method, ...params }) => {
      const source = {
        datasetId: runId !== undefined ? runs.get(runId).datasetId : datasetId!,
        runId: space === 'latent' ? runId! : null,
        space,
        method,
        params,
      }
      datasets.get(source.datasetId)
      if (space === 'latent' && !runs.embeddings(runId!))
        throw new StudioError(
          'bad-params',
          'This run has no codes yet: project it once training has completed.',
        )
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
