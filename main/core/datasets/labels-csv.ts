// A labels.csv sidecar (docs/data.md, "Data in"): rows of `path,label` or `index,label`, with or
// without a header row. `labels.csv` in a folder labels the images under it by their path relative
// to that folder (`cats/a.png`, or `x.npy#3` for an item of an array); `X.labels.csv` beside an
// array X.npy or X.npz (or `labels.csv` beside a folder's only array) labels its images by index.
// Labels it gives replace the folder names' labels; rows that match nothing are reported.
import { basename, dirname, relative, sep } from 'node:path'
import { readRegularFile } from './files'
import { SkipFile } from './reasons'

export interface LabelsCsv {
  path: string
  /** first field (a path or an index, as written) → label */
  labels: Map<string, string>
}

/** labels.csv, or `name.labels.csv` for the array `name.npy` / `name.npz`. */
export function isLabelsCsv(name: string): boolean {
  return /(^|\.)labels\.csv$/i.test(name)
}

/** The array file a `name.labels.csv` belongs to, by name without extension; null for labels.csv. */
export function arrayStem(csvPath: string): string | null {
  const name = basename(csvPath)
  return /^labels\.csv$/i.test(name) ? null : name.replace(/\.labels\.csv$/i, '')
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
export function csvRecords(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      record.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      record.push(field)
      records.push(record)
      record = []
      field = ''
    } else field += c
  }
  if (field !== '' || record.length > 0) records.push([...record, field])
  return records.filter((r) => !(r.length === 1 && r[0].trim() === ''))
}

export async function readLabelsCsv(path: string): Promise<LabelsCsv> {
  const text = (await readRegularFile(path)).toString('utf8').replace(/^\uFEFF/, '')
  const records = csvRecords(text)
  if (records.some((r) => r.length < 2))
    throw new SkipFile('a labels file needs two columns on every row: path (or index), label')
  const [first] = records
  const header =
    first &&
    /^(path|file|filename|index|id|name)$/i.test(first[0].trim()) &&
    /^(label|class|target|y)$/i.test(first[1].trim())
  const labels = new Map<string, string>()
  for (const [key, label] of header ? records.slice(1) : records) labels.set(key.trim(), label)
  if (labels.size === 0) throw new SkipFile('the labels file has no rows')
  return { path, labels }
}

/** The key an item has in a folder's labels.csv: its path relative to the csv's folder, '/'-separated. */
export function keyInFolder(csvPath: string, itemPath: string): string | null {
  const inside = relative(dirname(csvPath), itemPath)
  if (inside.startsWith('..') || inside === '') return null
  return inside.split(sep).join('/')
}

/** What the sidecars act on: image files (their label) and array files (labels by index). */
export type LabelledSource =
  | { kind: 'image'; path: string; label: string | null }
  | { kind: 'idx' | 'npy' | 'npz'; path: string; units: number; sidecar?: Map<number, string> }
  | { kind: 'skip'; path: string }

/**
 * Gives the sources the labels of the sidecars: an image the label of the nearest labels.csv
 * above it that names it; an array its labels by index. Returns, per sidecar, how many of its
 * rows named nothing imported, with the first such key.
 */
export function applySidecars(
  sources: LabelledSource[],
  sidecars: readonly LabelsCsv[],
): { path: string; unused: number; rows: number; example: string }[] {
  const used = new Map(sidecars.map((csv) => [csv, new Set<string>()]))
  const folderCsvs = sidecars
    .filter((csv) => arrayStem(csv.path) === null)
    .sort((a, b) => b.path.length - a.path.length) // the nearest folder first
  const arrays = sources.filter((s) => s.kind === 'idx' || s.kind === 'npy' || s.kind === 'npz')
  const arraysIn = (folder: string) => arrays.filter((s) => dirname(s.path) === folder)
  for (const source of sources) {
    if (source.kind === 'image') {
      for (const csv of folderCsvs) {
        const key = keyInFolder(csv.path, source.path)
        if (key === null || !csv.labels.has(key)) continue
        source.label = csv.labels.get(key)!
        used.get(csv)!.add(key)
        break
      }
    } else if (source.kind !== 'skip') {
      const stem = basename(source.path).replace(/\.(npy|npz)$/i, '')
      const own = sidecars.find(
        (csv) => arrayStem(csv.path) === stem && dirname(csv.path) === dirname(source.path),
      )
      const byIndex = new Map<number, string>()
      const take = (csv: LabelsCsv, key: string, index: number) => {
        if (index >= source.units || byIndex.has(index)) return
        byIndex.set(index, csv.labels.get(key)!)
        used.get(csv)!.add(key)
      }
      for (const csv of [...(own ? [own] : []), ...folderCsvs]) {
        const prefix = keyInFolder(csv.path, source.path)
        const onlyArray =
          csv === own ||
          (dirname(csv.path) === dirname(source.path) &&
            arraysIn(dirname(source.path)).length === 1)
        for (const key of csv.labels.keys()) {
          const hash = key.lastIndexOf('#')
          if (/^\d+$/.test(key) && onlyArray) take(csv, key, Number(key))
          else if (hash > 0 && key.slice(0, hash) === prefix && /^\d+$/.test(key.slice(hash + 1)))
            take(csv, key, Number(key.slice(hash + 1)))
        }
      }
      if (byIndex.size > 0) source.sidecar = byIndex
    }
  }
  return sidecars.flatMap((csv) => {
    const unusedKeys = [...csv.labels.keys()].filter((key) => !used.get(csv)!.has(key))
    return unusedKeys.length === 0
      ? []
      : [
          {
            path: csv.path,
            unused: unusedKeys.length,
            rows: csv.labels.size,
            example: unusedKeys[0],
          },
        ]
  })
}
