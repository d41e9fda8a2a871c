// The columns of the items table (docs/working-with-data.md, "The items table"), read once and
// kept: a dataset's paths, labels and tags (SQL), a run's errors and split, a clustering's
// clusters and certainty (the typed arrays the run and the clustering stored). Everything is in
// dataset order, so index i is the item at position i.
import { StudioError } from '../errors'
import { splitIndices } from '../shared/split'
import { trainConfig } from '../shared/train-config'
import type { ItemSplit } from '../shared/items'
import type { ClusteringsStore } from '../store/clusterings-store'
import type { ItemsStore } from '../store/items-store'
import type { RunsStore } from '../store/runs-store'
import type { Workspace } from '../store/workspace'

export interface DatasetColumns {
  ids: Int32Array
  /** relative to the folder every item shares */
  paths: string[]
  /** the same, lower case, for the text filter */
  lowerPaths: string[]
  labels: (string | null)[]
  tags: Map<number, string[]>
  /** every position in a column's sort order, sorted once (query.ts) and kept with the columns */
  orders: Map<string, Int32Array>
}

export interface RunColumns {
  runId: number
  /** null before the run has codes (docs/working-with-data.md says when they are made) */
  errors: Float32Array | null
  /** 1 for the validation images of the run's split */
  validation: Uint8Array
  orders: Map<string, Int32Array>
}

export interface ClusteringColumns {
  clusteringId: number
  assignments: Int32Array
  certainty: Float32Array | null
  names: string[]
  orders: Map<string, Int32Array>
}

/** The folder every path starts with, up to its last separator ("" when none is shared). */
export function sharedFolder(paths: readonly string[]): string {
  if (!paths.length) return ''
  let shared = paths[0]
  for (const path of paths) {
    let i = 0
    const upTo = Math.min(shared.length, path.length)
    while (i < upTo && shared.charCodeAt(i) === path.charCodeAt(i)) i++
    shared = shared.slice(0, i)
    if (!shared) return ''
  }
  const cut = Math.max(shared.lastIndexOf('/'), shared.lastIndexOf('\\'))
  return cut >= 0 ? shared.slice(0, cut + 1) : ''
}

/** The file name of a path: the part after its last separator (file#index for an array item). */
export function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1)
}

/**
 * Keeps the last dataset's columns, and the last run's and clustering's, while nothing changed:
 * another process's write moves SQLite's data_version, this process's tags and labels move the
 * items store's version.
 */
export class ItemColumnsCache {
  private dataset: { key: string; columns: DatasetColumns } | null = null
  private run: { key: string; columns: RunColumns } | null = null
  private clustering: { key: string; columns: ClusteringColumns } | null = null
  private readonly statements

  constructor(
    private readonly stores: {
      db: Workspace
      items: ItemsStore
      runs: RunsStore
      clusterings: ClusteringsStore
    },
  ) {
    this.statements = {
      dataset: stores.db.prepare(`SELECT id FROM datasets WHERE id = ? AND status = 'ready'`),
      rows: stores.db.prepare(
        `SELECT id, position, path, label FROM items INDEXED BY items_columns
         WHERE dataset_id = ? ORDER BY position`,
      ),
    }
  }

  private version(): string {
    const data = this.stores.db.pragma('data_version', { simple: true }) as number
    return `${data}.${this.stores.items.version}`
  }

  datasetColumns(datasetId: number): DatasetColumns {
    const key = `${datasetId}@${this.version()}`
    if (this.dataset?.key === key) return this.dataset.columns
    if (!this.statements.dataset.get(datasetId))
      throw new StudioError('not-found', `There is no dataset ${datasetId} in this workspace.`)
    const rows = this.statements.rows.all(datasetId) as {
      id: number
      position: number
      path: string
      label: string | null
    }[]
    if (rows.some((row, i) => row.position !== i))
      throw new StudioError('internal', `The items of dataset ${datasetId} are out of order.`)
    const prefix = sharedFolder(rows.map((row) => row.path)).length
    const paths = rows.map((row) => row.path.slice(prefix))
    const columns = {
      ids: Int32Array.from(rows, (row) => row.id),
      paths,
      lowerPaths: paths.map((path) => path.toLowerCase()),
      labels: rows.map((row) => row.label),
      tags: this.stores.items.tagsByPosition(datasetId),
      orders: new Map<string, Int32Array>(),
    }
    this.dataset = { key, columns }
    return columns
  }

  runColumns(runId: number, datasetId: number, count: number): RunColumns {
    const key = `${runId}@${this.version()}`
    if (this.run?.key === key) return this.run.columns
    const run = this.stores.runs.get(runId)
    if (run.datasetId !== datasetId)
      throw new StudioError('bad-params', `Run ${runId} was not trained on dataset ${datasetId}.`)
    const embeddings = this.stores.runs.embeddings(runId)
    const config = trainConfig.safeParse(run.config)
    const validation = new Uint8Array(count)
    if (config.success)
      for (const i of splitIndices(count, config.data.validationSplit, config.data.seed).validation)
        validation[i] = 1
    const errors = embeddings && embeddings.rows === count ? embeddings.errors : null
    const columns = { runId, errors, validation, orders: new Map<string, Int32Array>() }
    this.run = { key, columns }
    return columns
  }

  clusteringColumns(clusteringId: number, runId: number, count: number): ClusteringColumns {
    const key = `${clusteringId}@${this.version()}`
    // names change through this connection (clusterings.renameCluster): read them every time
    if (this.clustering?.key === key)
      return { ...this.clustering.columns, names: this.stores.clusterings.get(clusteringId).names }
    const clustering = this.stores.clusterings.withArrays(clusteringId)
    if (clustering.runId !== runId)
      throw new StudioError('bad-params', `Clustering ${clusteringId} is not of run ${runId}.`)
    if (!clustering.assignments || clustering.assignments.length !== count)
      throw new StudioError(
        'bad-params',
        `Clustering ${clusteringId} has no clusters to show (it is ${clustering.status}).`,
      )
    const columns = {
      clusteringId,
      assignments: clustering.assignments,
      certainty: clustering.certainty,
      names: clustering.names,
      orders: new Map<string, Int32Array>(),
    }
    this.clustering = { key, columns }
    return columns
  }
}

export function splitOf(run: RunColumns | null, position: number): ItemSplit | null {
  if (!run) return null
  return run.validation[position] ? 'validation' : 'train'
}
