// How numbers, sizes and dates read in the UI.
import type { DatasetSummary } from '@shared/types'

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export const count = (n: number) => integer.format(n)

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`
}

/** "28×28 grey" */
export function imageSize(dataset: Pick<DatasetSummary, 'width' | 'height' | 'channels'>): string {
  return `${dataset.width}×${dataset.height} ${dataset.channels === 'rgb' ? 'RGB' : 'grey'}`
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–'
  if (seconds < 1) return 'under a second'
  if (seconds < 90) return `${Math.round(seconds)} s`
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`
  return `${(seconds / 3600).toFixed(1)} h`
}

const dateFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** SQLite's `datetime('now')` is UTC without a zone marker; read it as UTC. */
export function date(value: string): string {
  const iso = /^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?$/.test(value)
    ? `${value.replace(' ', 'T')}Z`
    : value
  const parsed = new Date(iso)
  return Number.isNaN(parsed.getTime()) ? value : dateFormat.format(parsed)
}

export function fileName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path
}

/**
 * A path shown from the imported folder down ("shapes/circles/a.png"), not from the disk's root:
 * the part before the longest source that contains it is dropped.
 */
export function shortPath(path: string, sources: readonly string[]): string {
  const root = sources
    .map((source) => source.replace(/[\\/]+$/, ''))
    .filter((s) => path === s || (path.startsWith(s) && /[\\/]/.test(path.charAt(s.length))))
    .sort((a, b) => b.length - a.length)[0]
  if (!root) return path
  const parent = root.slice(0, Math.max(root.lastIndexOf('/'), root.lastIndexOf('\\')) + 1)
  return path.slice(parent.length)
}

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
