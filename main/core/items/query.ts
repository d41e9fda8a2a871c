// items.query (docs/working-with-data.md, "The items table"): a page of a dataset's items with
// a run's and a clustering's columns, filtered and sorted, and every matching position for the
// plots to cross-filter. The columns are read once and kept (columns.ts); filtering and sorting
// run over them in memory: on 70,000 items a query takes a few milliseconds once they are read.
import { StudioError } from '../errors'
import type { ItemColumn, ItemFilter, ItemQueryResult, ItemRow } from '../shared/items'
import type { CheckedParamsOf } from '../contract'
import type { ItemsStore } from '../store/items-store'
import {
  fileName,
  splitOf,
  type ClusteringColumns,
  type DatasetColumns,
  type ItemColumnsCache,
  type RunColumns,
} from './columns'

interface Columns {
  dataset: DatasetColumns
  run: RunColumns | null
  clustering: ClusteringColumns | null
}

const bounds = (range: { min?: number; max?: number }) =>
  [Math.fround(range.min ?? -Infinity), Math.fround(range.max ?? Infinity)] as const

/** Which positions the filter keeps: 1 each. */
function filterPositions(
  datasetId: number,
  columns: Columns,
  filter: ItemFilter,
  items: ItemsStore,
): Uint8Array {
  const { dataset, run, clustering } = columns
  const count = dataset.ids.length
  const keep = new Uint8Array(count).fill(1)
  const only = (allowed: Iterable<number>) => {
    const mask = new Uint8Array(count)
    for (const p of allowed) if (p >= 0 && p < count) mask[p] = 1
    for (let i = 0; i < count; i++) keep[i] &= mask[i]
  }
  if (filter.positions) only(filter.positions)
  if (filter.ids) {
    const wanted = new Set(filter.ids)
    only(Array.from(dataset.ids.keys()).filter((i) => wanted.has(dataset.ids[i])))
  }
  if (filter.selectionId !== undefined) {
    const selection = items.selectionWithItems(filter.selectionId)
    if (selection.datasetId !== datasetId)
      throw new StudioError(
        'bad-params',
        `Selection ${filter.selectionId} is of dataset ${selection.datasetId}, not ${datasetId}.`,
      )
    only(selection.positions)
  }
  if (filter.labels) {
    const labels = new Set(filter.labels)
    for (let i = 0; i < count; i++) if (!labels.has(dataset.labels[i])) keep[i] = 0
  }
  if (filter.tags) {
    const tags = new Set(filter.tags)
    for (let i = 0; i < count; i++)
      if (keep[i] && !(dataset.tags.get(i) ?? []).some((tag) => tags.has(tag))) keep[i] = 0
  }
  if (filter.splits) {
    if (!run) throw new StudioError('bad-params', 'Filtering by split needs a run (runId).')
    const splits = new Set(filter.splits)
    for (let i = 0; i < count; i++) if (!splits.has(splitOf(run, i)!)) keep[i] = 0
  }
  if (filter.error) {
    if (!run?.errors)
      throw new StudioError(
        'bad-params',
        'Filtering by error needs a run with reconstruction errors (runId).',
      )
    // the errors are float32: the bounds too, so that a bound equal to a shown value keeps it
    const [min, max] = bounds(filter.error)
    for (let i = 0; i < count; i++) if (!(run.errors[i] >= min && run.errors[i] <= max)) keep[i] = 0
  }
  if (filter.clusters) {
    if (!clustering)
      throw new StudioError('bad-params', 'Filtering by cluster needs a clustering (clusteringId).')
    const clusters = new Set(filter.clusters)
    for (let i = 0; i < count; i++) if (!clusters.has(clustering.assignments[i])) keep[i] = 0
  }
  if (filter.certainty) {
    if (!clustering?.certainty)
      throw new StudioError(
        'bad-params',
        'Filtering by certainty needs a clustering whose method gives one (N2D, DEC, IDEC).',
      )
    const [min, max] = bounds(filter.certainty)
    for (let i = 0; i < count; i++) {
      const c = clustering.certainty[i]
      if (!(c >= min && c <= max)) keep[i] = 0
    }
  }
  const text = filter.text?.trim().toLowerCase()
  if (text)
    for (let i = 0; i < count; i++)
      if (
        keep[i] &&
        !dataset.lowerPaths[i].includes(text) &&
        !(dataset.labels[i]?.toLowerCase().includes(text) ?? false) &&
        !(dataset.tags.get(i) ?? []).some((tag) => tag.toLowerCase().includes(text))
      )
        keep[i] = 0
  return keep
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

/**
 * A sort key per position: numbers as they are, strings as their rank among the column's
 * values (ranked once, then compared as numbers); NaN for none, which sorts last either way.
 */
function sortKeys(columns: Columns, column: ItemColumn): Float64Array | null {
  const { dataset, run, clustering } = columns
  const count = dataset.ids.length
  const ranked = (value: (i: number) => string | null) => {
    const values = Array.from({ length: count }, (_, i) => value(i))
    const distinct = [...new Set(values.filter((v): v is string => v !== null))].sort(
      collator.compare,
    )
    const rank = new Map(distinct.map((v, r) => [v, r]))
    return Float64Array.from(values, (v) => (v === null ? NaN : rank.get(v)!))
  }
  switch (column) {
    case 'position':
      return null
    case 'path':
      return ranked((i) => dataset.paths[i])
    case 'label':
      return ranked((i) => dataset.labels[i])
    case 'tags':
      return ranked((i) => dataset.tags.get(i)?.join(', ') ?? null)
    case 'split':
      if (!run) throw new StudioError('bad-params', 'Sorting by split needs a run (runId).')
      return Float64Array.from(run.validation)
    case 'error':
      if (!run?.errors)
        throw new StudioError('bad-params', 'Sorting by error needs a run with errors (runId).')
      return Float64Array.from(run.errors)
    case 'cluster':
      if (!clustering) throw new StudioError('bad-params', 'Sorting by cluster needs a clustering.')
      return Float64Array.from(clustering.assignments, (c) => (c < 0 ? NaN : c))
    case 'certainty':
      if (!clustering?.certainty)
        throw new StudioError('bad-params', 'This clustering gives no certainty to sort by.')
      return Float64Array.from(clustering.certainty)
  }
}

/** Every position in the column's order (ties in dataset order, the empty last), sorted once. */
function orderOf(columns: Columns, column: ItemColumn, descending: boolean): Int32Array | null {
  if (column === 'position') return null
  const owner =
    column === 'split' || column === 'error'
      ? columns.run
      : column === 'cluster' || column === 'certainty'
        ? columns.clustering
        : columns.dataset
  const key = `${column}:${descending}`
  const kept = owner?.orders.get(key)
  if (kept) return kept
  const keys = sortKeys(columns, column)!
  const sign = descending ? -1 : 1
  const order = Int32Array.from(keys.keys()).sort((a, b) => {
    const ka = keys[a]
    const kb = keys[b]
    if (Number.isNaN(ka) || Number.isNaN(kb))
      return Number.isNaN(ka) === Number.isNaN(kb) ? a - b : Number.isNaN(ka) ? 1 : -1
    return ka === kb ? a - b : (ka - kb) * sign
  })
  owner?.orders.set(key, order)
  return order
}

/** The kept positions in the query's order. */
function sorted(keep: Uint8Array, order: Int32Array | null, descending: boolean): Int32Array {
  let kept = 0
  for (let i = 0; i < keep.length; i++) kept += keep[i]
  const positions = new Int32Array(kept)
  let k = 0
  if (order) {
    for (const p of order) if (keep[p]) positions[k++] = p
  } else if (descending) {
    for (let i = keep.length - 1; i >= 0; i--) if (keep[i]) positions[k++] = i
  } else for (let i = 0; i < keep.length; i++) if (keep[i]) positions[k++] = i
  return positions
}

export function rowAt(columns: Columns, position: number): ItemRow {
  const { dataset, run, clustering } = columns
  const cluster = clustering ? clustering.assignments[position] : null
  return {
    id: dataset.ids[position],
    position,
    path: dataset.paths[position],
    name: fileName(dataset.paths[position]),
    label: dataset.labels[position],
    split: splitOf(run, position),
    error: run?.errors ? run.errors[position] : null,
    cluster: cluster === null || cluster < 0 ? null : cluster,
    clusterName: cluster === null || cluster < 0 ? null : (clustering!.names[cluster] ?? null),
    certainty: clustering?.certainty ? clustering.certainty[position] : null,
    tags: dataset.tags.get(position) ?? [],
  }
}

/** The positions of the items a query keeps, in its sort order. */
export function queryPositions(
  cache: ItemColumnsCache,
  items: ItemsStore,
  params: Pick<
    CheckedParamsOf<'items.query'>,
    'datasetId' | 'runId' | 'clusteringId' | 'filter' | 'sort'
  >,
): { columns: Columns; positions: Int32Array } {
  const { datasetId, runId, clusteringId, filter, sort } = params
  if (clusteringId !== undefined && runId === undefined)
    throw new StudioError('bad-params', 'Give the run (runId) the clustering is of.')
  const dataset = cache.datasetColumns(datasetId)
  const count = dataset.ids.length
  const run = runId === undefined ? null : cache.runColumns(runId, datasetId, count)
  const clustering =
    clusteringId === undefined ? null : cache.clusteringColumns(clusteringId, runId!, count)
  const columns = { dataset, run, clustering }
  const keep = filterPositions(datasetId, columns, filter, items)
  const order = orderOf(columns, sort.column, sort.descending)
  return { columns, positions: sorted(keep, order, sort.descending) }
}

export function queryItems(
  cache: ItemColumnsCache,
  items: ItemsStore,
  params: CheckedParamsOf<'items.query'>,
): ItemQueryResult {
  const { columns, positions } = queryPositions(cache, items, params)
  const page = positions.subarray(params.offset, params.offset + params.limit)
  return {
    total: columns.dataset.ids.length,
    matched: positions.length,
    offset: params.offset,
    rows: Array.from(page, (position) => rowAt(columns, position)),
    positions: params.matching ? Int32Array.from(positions) : null,
    sources: {
      runId: columns.run?.runId ?? null,
      errors: columns.run?.errors != null,
      clusteringId: columns.clustering?.clusteringId ?? null,
    },
  }
}
