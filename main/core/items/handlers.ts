// The contract's methods over a dataset's items (docs/working-with-data.md): the items table's
// query, tags, relabelling, saved selections and their export.
import type { Handlers } from '../dispatch'
import type { ClusteringsStore } from '../store/clusterings-store'
import type { DatasetsStore } from '../store/datasets-store'
import type { ItemsStore } from '../store/items-store'
import type { RunsStore } from '../store/runs-store'
import type { Workspace } from '../store/workspace'
import { ItemColumnsCache } from './columns'
import { exportItems } from './export'
import { queryItems } from './query'
import type { RunCodes } from '../runs/codes'

type Methods =
  | 'items.query'
  | 'items.tag'
  | 'items.untag'
  | 'items.tags'
  | 'items.relabel'
  | 'items.export'
  | 'datasets.renameLabel'
  | 'selections.save'
  | 'selections.list'
  | 'selections.get'
  | 'selections.rename'
  | 'selections.delete'

/** The methods that change the workspace (refused when it is read-only). */
export const itemWriteMethods = [
  'items.tag',
  'items.untag',
  'items.relabel',
  'datasets.renameLabel',
  'selections.save',
  'selections.rename',
  'selections.delete',
] as const

export function itemHandlers(core: {
  db: Workspace
  items: ItemsStore
  datasets: DatasetsStore
  runs: RunsStore
  clusterings: ClusteringsStore
  codes: RunCodes
  /** the item columns' cache, shared with the gallery's filter; one of its own when absent */
  columns?: ItemColumnsCache
  /** runs cancellable work under a job id (jobs.cancel) */
  job: <T>(jobId: string | undefined, work: (signal: AbortSignal) => Promise<T>) => Promise<T>
  emit: (event: 'export:progress', payload: { jobId: string; done: number; total: number }) => void
  /** labels changed: what caches them (the decoder process) forgets them */
  labelsChanged?: () => void
}): Pick<Handlers, Methods> {
  const { items, datasets } = core
  const cache = core.columns ?? new ItemColumnsCache(core)
  const relabelled = <T>(result: T) => {
    core.labelsChanged?.()
    return result
  }
  return {
    'items.query': async (params) => {
      // a stopped or interrupted run's errors are computed from its checkpoint the first time
      if (params.runId !== undefined) await core.codes.ifAny(params.runId)
      return queryItems(cache, items, params)
    },
    'items.tag': ({ datasetId, ids, tag }) => items.tag(datasetId, ids, tag),
    'items.untag': ({ datasetId, ids, tag }) => items.untag(datasetId, ids, tag),
    'items.tags': ({ datasetId }) => items.tags(datasetId),
    'items.relabel': ({ datasetId, changes }) => relabelled(items.relabel(datasetId, changes)),
    'datasets.renameLabel': ({ id, from, to }) => relabelled(items.renameLabel(id, from, to)),
    'items.export': async (params) => {
      if (params.runId !== undefined) await core.codes.ifAny(params.runId)
      return {
        files: await core.job(params.jobId, (signal) =>
          exportItems({ cache, items, datasets }, params, {
            signal,
            onProgress: (progress) =>
              core.emit('export:progress', { jobId: params.jobId ?? '', ...progress }),
          }),
        ),
      }
    },
    'selections.save': ({ datasetId, name, ids, replace, tag }) =>
      items.saveSelection(datasetId, name, ids, { replace, tag }),
    'selections.list': ({ datasetId }) => items.listSelections(datasetId),
    'selections.get': ({ id }) => items.selectionWithItems(id),
    'selections.rename': ({ id, name }) => items.renameSelection(id, name),
    'selections.delete': ({ id }) => ({ deleted: items.deleteSelection(id) }),
  }
}
