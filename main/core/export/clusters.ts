// A clustering out of the app (SPEC.md, "Data out"): CSV or JSON with each item's path, cluster
// id and name, distance to its cluster's centre and label, and its certainty where the method
// has one (N2D, DEC, IDEC); or a copy of the images into one folder per cluster, named by the
// cluster names. Nothing existing is overwritten.
import { constants } from 'node:fs'
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import sharp from 'sharp'
import { StudioError } from '../errors'
import type { Clustering } from '../shared/clusterings'
import type { ItemFacets } from '../shared/types'
import type { DatasetsStore } from '../store/datasets-store'
import { staged } from './files'
import { csvField, csvLineEnd, formatFloat32, jsonFloat32 } from './text'

export interface ClusterExportSource {
  clustering: Clustering
  datasetId: number
  facets: ItemFacets
  datasets: DatasetsStore
}

export interface FolderProgress {
  done: number
  total: number
}

function rowsOf(source: ClusterExportSource) {
  const { clustering, facets } = source
  const assignments = clustering.assignments
  const distances = clustering.distances
  if (!assignments || !distances)
    throw new StudioError('bad-params', 'This clustering has not finished: export it once it has.')
  return facets.paths.map((path, i) => ({
    path,
    cluster: assignments[i],
    name: clustering.names[assignments[i]],
    distance: distances[i],
    certainty: clustering.certainty ? clustering.certainty[i] : null,
    label: facets.labels[i] >= 0 ? facets.labelNames[facets.labels[i]] : null,
  }))
}

export function exportClustersTable(
  file: string,
  format: 'csv' | 'json',
  source: ClusterExportSource,
): Promise<string[]> {
  const rows = rowsOf(source)
  const certain = source.clustering.certainty !== null
  return staged(async (staging) => {
    if (format === 'csv') {
      const lines = [`path,cluster,name,distance,label${certain ? ',certainty' : ''}`]
      for (const r of rows)
        lines.push(
          [
            csvField(r.path),
            r.cluster,
            csvField(r.name),
            formatFloat32(r.distance),
            csvField(r.label),
            ...(r.certainty === null ? [] : [formatFloat32(r.certainty)]),
          ].join(','),
        )
      await staging.write(file, lines.join(csvLineEnd) + csvLineEnd)
    } else {
      const items = rows.map(
        (r) =>
          `{"path":${JSON.stringify(r.path)},"cluster":${r.cluster},"name":${JSON.stringify(r.name)},"distance":${jsonFloat32(r.distance)},"label":${JSON.stringify(r.label)}${r.certainty === null ? '' : `,"certainty":${jsonFloat32(r.certainty)}`}}`,
      )
      await staging.write(
        file,
        `{"clusters":${JSON.stringify(source.clustering.names)},"items":[\n${items.join(',\n')}\n]}\n`,
      )
    }
  })
}

/** A folder or file name made safe on every desktop system. */
function safeName(name: string): string {
  const cleaned = [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '<>:"/\\|?*'.includes(c) ? '_' : c))
    .join('')
    .replace(/[. ]+$/, '')
    .trim()
  return cleaned || 'cluster'
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/** `path`, or `stem (2).ext`, `stem (3).ext`… whichever does not exist yet. */
async function freePath(path: string): Promise<string> {
  if (!(await exists(path))) return path
  const ext = extname(path)
  const stem = path.slice(0, path.length - ext.length)
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${ext}`
    if (!(await exists(candidate))) return candidate
  }
}

/** Copies each item's file into `out/<cluster name>/` (see copyIntoFolders). */
export function exportClusterFolders(
  out: string,
  source: ClusterExportSource,
  options: { signal?: AbortSignal; onProgress?: (progress: FolderProgress) => void } = {},
): Promise<string[]> {
  rowsOf(source) // refuses an unfinished clustering
  return copyIntoFolders(
    out,
    {
      names: source.clustering.names,
      group: source.clustering.assignments!,
      datasetId: source.datasetId,
      paths: source.facets.paths,
      datasets: source.datasets,
    },
    options,
  )
}

/**
 * Copies each item's file into `out/<its group's name>/` (items of group −1 are left out); an
 * item without a file of its own (a row of an IDX or .npy array) is written as a PNG of its
 * pixels. Never overwrites; cancellable between chunks of files.
 */
export async function copyIntoFolders(
  out: string,
  source: {
    names: string[]
    group: Int32Array
    datasetId: number
    paths: string[]
    datasets: DatasetsStore
  },
  options: { signal?: AbortSignal; onProgress?: (progress: FolderProgress) => void } = {},
): Promise<string[]> {
  const rows = source.paths
    .map((path, position) => ({ path, position, cluster: source.group[position] }))
    .filter((row) => row.cluster >= 0)
  const folders = new Map<number, string>()
  const used = new Set<string>()
  for (const [cluster, name] of source.names.entries()) {
    let folder = safeName(name)
    for (let n = 2; used.has(folder.toLowerCase()); n++) folder = `${safeName(name)} (${n})`
    used.add(folder.toLowerCase())
    folders.set(cluster, join(out, folder))
  }
  for (const folder of folders.values()) await mkdir(folder, { recursive: true })
  const written: string[] = []
  const chunk = 256
  for (let from = 0; from < rows.length; from += chunk) {
    if (options.signal?.aborted)
      throw new StudioError('cancelled', `Export cancelled after ${written.length} images.`)
    const positions = Array.from(
      { length: Math.min(chunk, rows.length - from) },
      (_, i) => from + i,
    )
    const page = source.datasets.itemsAt(source.datasetId, positions)
    for (const [at, position] of positions.entries()) {
      const row = rows[position]
      const folder = folders.get(row.cluster)!
      const own = !row.path.includes('#') && (await exists(row.path))
      if (own) {
        const target = await freePath(join(folder, basename(row.path)))
        await copyFile(row.path, target, constants.COPYFILE_EXCL)
        written.push(target)
      } else {
        const size = page.width * page.height * page.channels
        const pixels = page.pixels.subarray(at * size, (at + 1) * size)
        const png = await sharp(Buffer.from(pixels), {
          raw: { width: page.width, height: page.height, channels: page.channels },
        })
          .png()
          .toBuffer()
        const target = await freePath(join(folder, `${safeName(basename(row.path))}.png`))
        await writeFile(target, png, { flag: 'wx' })
        written.push(target)
      }
    }
    options.onProgress?.({ done: Math.min(rows.length, from + chunk), total: rows.length })
    await new Promise((resolve) => setImmediate(resolve))
  }
  return written
}
