// items.export (docs/working-with-data.md, "Export"): the items a query keeps (a saved
// selection, a list of ids, any filter of the table) as CSV or JSON with every column of the
// table, or a copy of their images into folders by label, by cluster or all in one.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { CheckedParamsOf } from '../contract'
import { StudioError } from '../errors'
import { copyIntoFolders, type FolderOptions } from '../export/clusters'
import { staged } from '../export/files'
import { shownPath } from '../export/items'
import { csvField, csvLineEnd, formatFloat32, jsonFloat32 } from '../export/text'
import type { ItemRow } from '../shared/items'
import type { DatasetsStore } from '../store/datasets-store'
import type { ItemsStore } from '../store/items-store'
import type { ItemColumnsCache } from './columns'
import { queryPositions, rowAt } from './query'

const csvHeader = 'id,path,label,split,error,cluster,cluster_name,certainty,tags'

/**
 * A row as exports write it: the full path (the user's own under `studio serve`), and the
 * cluster numbered from 1 as the app shows it ("Cluster 1" is cluster 1), as the clusters'
 * export numbers them.
 */
function exported(row: ItemRow, path: string) {
  return { ...row, path, cluster: row.cluster === null ? null : row.cluster + 1 }
}

const num = (value: number | null, format: (v: number) => string) =>
  value === null ? '' : format(value)

export async function exportItems(
  stores: { cache: ItemColumnsCache; items: ItemsStore; datasets: DatasetsStore },
  params: CheckedParamsOf<'items.export'>,
  folders: FolderOptions,
): Promise<string[]> {
  const { columns, positions } = queryPositions(stores.cache, stores.items, params)
  if (!positions.length) throw new StudioError('bad-params', 'No item matches: nothing to export.')
  const fullPaths = stores.datasets.facets(params.datasetId).paths
  const target = resolve(params.out)
  const existing = await stat(target).catch(() => null)
  if (params.format !== 'folders') {
    if (existing?.isDirectory())
      throw new StudioError('bad-params', `${target} is a folder: name the file to write.`)
    const rows = Array.from(positions, (p) =>
      exported(rowAt(columns, p), shownPath(fullPaths[p], params.uploadsDir)),
    )
    const text =
      params.format === 'csv'
        ? [
            csvHeader,
            ...rows.map((r) =>
              [
                r.id,
                csvField(r.path),
                csvField(r.label),
                r.split ?? '',
                num(r.error, formatFloat32),
                r.cluster ?? '',
                csvField(r.clusterName),
                num(r.certainty, formatFloat32),
                csvField(r.tags.length ? r.tags.join(';') : null),
              ].join(','),
            ),
          ].join(csvLineEnd) + csvLineEnd
        : `{"items":[\n${rows
            .map(
              (r) =>
                `{"id":${r.id},"path":${JSON.stringify(r.path)},"label":${JSON.stringify(r.label)},"split":${JSON.stringify(r.split)},"error":${r.error === null ? 'null' : jsonFloat32(r.error)},"cluster":${r.cluster},"clusterName":${JSON.stringify(r.clusterName)},"certainty":${r.certainty === null ? 'null' : jsonFloat32(r.certainty)},"tags":${JSON.stringify(r.tags)}}`,
            )
            .join(',\n')}\n]}\n`
    return staged((staging) => staging.write(target, text), params.overwrite)
  }
  if (existing?.isFile())
    throw new StudioError('bad-params', `${target} is a file: name a folder to copy into.`)
  const group = new Int32Array(fullPaths.length).fill(-1)
  let names: string[]
  if (params.groupBy === 'cluster') {
    if (!columns.clustering)
      throw new StudioError('bad-params', 'Folders by cluster need a clustering (clusteringId).')
    names = columns.clustering.names
    for (const p of positions) group[p] = columns.clustering.assignments[p]
  } else if (params.groupBy === 'label') {
    const index = new Map<string, number>()
    for (const p of positions) {
      const label = columns.dataset.labels[p] ?? 'unlabelled'
      if (!index.has(label)) index.set(label, index.size)
      group[p] = index.get(label)!
    }
    names = [...index.keys()]
  } else {
    names = ['items']
    for (const p of positions) group[p] = 0
  }
  return copyIntoFolders(
    target,
    { names, group, datasetId: params.datasetId, paths: fullPaths, datasets: stores.datasets },
    { ...folders, overwrite: params.overwrite },
  )
}
