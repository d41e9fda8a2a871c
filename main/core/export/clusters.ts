// A clustering out of the app (docs/data.md, "Data out"): CSV or JSON with each item's path,
// cluster number (from 1, as the app shows it: "Cluster 3" is cluster 3) and name, distance to its cluster's centre and label, and its certainty where the
// method has one (N2D, DEC, IDEC); or a copy of the images into one folder per cluster, named by
// the cluster names. Nothing existing is replaced unless the user agreed (overwrite).
import { constants } from 'node:fs'
import { copyFile, writeFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import sharp from 'sharp'
import { StudioError } from '../errors'
import type { Clustering } from '../shared/clusterings'
import type { ItemFacets } from '../shared/types'
import type { DatasetsStore } from '../store/datasets-store'
import { exists, makeFolder, refuseExisting, staged } from './files'
import { shownPath } from './items'
import { csvField, csvLineEnd, formatFloat32, jsonFloat32 } from './text'

export interface ClusterExportSource {
  clustering: Clustering
  datasetId: number
  facets: ItemFacets
  datasets: DatasetsStore
  /** `studio serve`'s upload folder: paths under it are written as the user's own (shownPath) */
  uploadsDir?: string
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
    path: shownPath(path, source.uploadsDir),
    // numbered from 1, as the default names and the app number them (the API's index + 1)
    cluster: assignments[i] + 1,
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
  overwrite = false,
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
        `{"clusters":${JSON.stringify(source.clustering.names.map((name, i) => ({ cluster: i + 1, name })))},"items":[\n${items.join(',\n')}\n]}\n`,
      )
    }
  }, overwrite)
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

/** `name`, or `stem (2).ext`, `stem (3).ext`… whichever this export has not used yet in `taken`. */
function unusedName(name: string, taken: Set<string>): string {
  const ext = extname(name)
  const stem = name.slice(0, name.length - ext.length)
  let candidate = name
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`
  taken.add(candidate.toLowerCase())
  return candidate
}

export interface FolderOptions {
  signal?: AbortSignal
  onProgress?: (progress: FolderProgress) => void
  /** replace files an earlier export left (the user agreed); else such files stop the export */
  overwrite?: boolean
}

/** Copies each item's file into `out/<cluster name>/` (see copyIntoFolders). */
export function exportClusterFolders(
  out: string,
  source: ClusterExportSource,
  options: FolderOptions = {},
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
 * pixels. Names depend only on the items (two `a.png` of one group: `a.png`, `a (2).png`), so a
 * second export of the same clustering names the same files: it stops before copying anything
 * (code `exists`) or, with overwrite, replaces them; it never adds copies. Cancellable between
 * chunks of files.
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
  options: FolderOptions = {},
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
  const targets = await plan(rows, folders)
  if (!options.overwrite) await refuseExisting(targets.map((t) => t.target))
  for (const folder of folders.values()) await makeFolder(folder)
  const written: string[] = []
  const flag = options.overwrite ? 'w' : 'wx'
  const chunk = 256
  for (let from = 0; from < rows.length; from += chunk) {
    if (options.signal?.aborted)
      throw new StudioError('cancelled', `Export cancelled after ${written.length} images.`)
    const positions = Array.from(
      { length: Math.min(chunk, rows.length - from) },
      (_, i) => from + i,
    )
    const page = source.datasets.itemsAt(
      source.datasetId,
      positions.map((position) => rows[position].position),
    )
    for (const [at, position] of positions.entries()) {
      const { own, target } = targets[position]
      if (own) {
        await copyFile(rows[position].path, target, options.overwrite ? 0 : constants.COPYFILE_EXCL)
      } else {
        const size = page.width * page.height * page.channels
        const pixels = page.pixels.subarray(at * size, (at + 1) * size)
        const png = await sharp(Buffer.from(pixels), {
          raw: { width: page.width, height: page.height, channels: page.channels },
        })
          .png()
          .toBuffer()
        await writeFile(target, png, { flag })
      }
      written.push(target)
    }
    options.onProgress?.({ done: Math.min(rows.length, from + chunk), total: rows.length })
    await new Promise((resolve) => setImmediate(resolve))
  }
  return written
}

/** Each row's target file, and whether it is a copy of the item's own file or a PNG of its pixels. */
async function plan(
  rows: { path: string; cluster: number }[],
  folders: Map<number, string>,
): Promise<{ own: boolean; target: string }[]> {
  const taken = new Map<number, Set<string>>()
  const targets: { own: boolean; target: string }[] = []
  for (const row of rows) {
    const own = !row.path.includes('#') && (await exists(row.path))
    const name = own ? basename(row.path) : `${safeName(basename(row.path))}.png`
    let names = taken.get(row.cluster)
    if (!names) taken.set(row.cluster, (names = new Set()))
    targets.push({ own, target: join(folders.get(row.cluster)!, unusedName(name, names)) })
  }
  return targets
}
