// Imports images, IDX, .npy and .npz files into a new dataset (docs/data.md, "Data in"): scan, plan,
// decode several files at once, store in path order. A file that cannot be read is skipped
// with its reason; the dataset is removed again if the import fails or is cancelled.
import { availableParallelism } from 'node:os'
import { basename } from 'node:path'
import type { ImportOptions } from '../shared/import-options'
import { cancelled, StudioError } from '../errors'
import type { ImportResult, SkippedFile } from '../shared/types'
import type { DatasetsStore } from '../store/datasets-store'
import { DecodePool } from './decode-pool'
import { prepareDecoder } from './decode'
import { inOrder } from './in-order'
import { planSources } from './plan'
import { type ProgressListener, ProgressReporter } from './progress'
import { scanPaths, type ScanResult } from './scan'
import { importTasks } from './tasks'
import { DatasetWriter } from './writer'

export interface ImportJob {
  signal?: AbortSignal
  onProgress?: ProgressListener
  /** files decoded at once; `decodeConcurrency` unless a benchmark says otherwise */
  concurrency?: number
  /** worker threads decoding image files; by default `decodeThreads` for a large import, else 0 */
  threads?: number
}

/**
 * Files read and decoded at once. sharp decodes on libuv's threadpool (4 threads) with one
 * libvips thread per image, so several in flight keep both cores busy while the main thread
 * hashes and stores. Measured on a shared 2-core VM importing 10,000 small PNG/JPEG files
 * (two runs each): 1 → 330–375 images/s, 2 → 480–510, 4 → 540–570, 8 → 630–680,
 * 16 → 710–800, 32 → ~700, 64 → 660–790. Past 16 nothing is gained but memory held by files
 * waiting for a decoder.
 */
export const decodeConcurrency = 16

/**
 * Worker threads for image files. The PNG and JPEG readers are JavaScript (decode.ts says why),
 * so on the main thread an import would use one core; two workers use both of a 2-core machine
 * while the main thread, mostly idle, stores items. Starting a worker costs ~50 ms (more from
 * source), so small imports stay on the main thread.
 */
export const decodeThreads = Math.max(1, Math.min(4, availableParallelism()))
const threadedFrom = 200
/** The longest an import works without letting other messages in. */
const yieldEveryMs = 50

/**
 * One whole turn of the event loop: through its timers, then its I/O poll (where a message from
 * the UI is read) to its check phase. setImmediate alone can come back before a due timer, and a
 * timer alone before pending I/O.
 */
async function turn(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
  await new Promise((resolve) => setImmediate(resolve))
}

const formats = 'PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG, BMP, MNIST IDX or NumPy .npy/.npz'

export async function importDataset(
  store: DatasetsStore,
  paths: string[],
  options: ImportOptions,
  job: ImportJob = {},
): Promise<ImportResult> {
  const started = performance.now()
  const { signal } = job
  const progress = new ProgressReporter(job.onProgress)
  if (signal?.aborted) throw cancelled()
  prepareDecoder()

  const scan = await scanPaths(
    paths,
    (found) => progress.report({ phase: 'scanning', done: found, total: 0, skipped: 0 }),
    signal,
  )
  ensureSomethingToImport(scan)
  const sources = await planSources(scan.files)
  if (signal?.aborted) throw cancelled()
  const total = sources.reduce((sum, source) => sum + source.units, 0)

  const datasetId = store.create({
    name: options.name ?? defaultName(scan),
    width: options.size,
    height: options.size,
    channels: options.channels,
    options,
    sources: scan.roots.map((root) => root.path),
  })
  const images = sources.filter((source) => source.kind === 'image').length
  const pool = DecodePool.start(job.threads ?? (images >= threadedFrom ? decodeThreads : 0))
  try {
    const writer = new DatasetWriter(store, datasetId)
    let done = 0
    let lastYield = performance.now()
    progress.report({ phase: 'decoding', done, total, skipped: 0 }, true)
    for await (const outcomes of inOrder(
      importTasks(
        sources,
        options,
        signal,
        pool ? (source) => pool.decode(source, options) : undefined,
      ),
      job.concurrency ?? decodeConcurrency,
    )) {
      if (signal?.aborted) throw cancelled()
      for (const outcome of outcomes) {
        writer.add(outcome)
        done += outcome.kind === 'item' ? 1 : outcome.units
      }
      progress.report({ phase: 'decoding', done, total, skipped: writer.skipped.length })
      // Items of an array file already in memory arrive without a pause: give the event loop a
      // turn now and then, so that a cancel (and progress) from the UI get through.
      if (performance.now() - lastYield > yieldEveryMs) {
        await turn()
        lastYield = performance.now()
      }
    }
    progress.report({ phase: 'saving', done, total, skipped: writer.skipped.length }, true)
    writer.finish()
    if (writer.items === 0) throw nothingReadable(scan, writer.skipped)
    await turn() // a cancel sent meanwhile comes first
    if (signal?.aborted) throw cancelled()
    store.markReady(datasetId)
    progress.report({ phase: 'saving', done, total, skipped: writer.skipped.length }, true)
    return {
      datasetId,
      items: writer.items,
      skipped: writer.skipped,
      duplicates: writer.duplicates,
      labels: writer.labels,
      sets: writer.sets,
      seconds: (performance.now() - started) / 1000,
    }
  } catch (error) {
    // Leave nothing half-made behind; the original error is the one worth reporting.
    try {
      store.delete(datasetId)
    } catch {
      // the workspace may be closing; removeUnfinished() clears the row on next open
    }
    throw error
  } finally {
    await pool?.close()
  }
}

function describeRoots(scan: ScanResult): string {
  return scan.roots.length === 1 ? scan.roots[0].path : `the ${scan.roots.length} items given`
}

function ensureSomethingToImport(scan: ScanResult): void {
  const importable = (kind: string) => ['image', 'idx', 'npy', 'npz'].includes(kind)
  if (scan.files.some((file) => importable(file.kind))) return
  const [first] = scan.roots
  if (scan.files.length === 0)
    throw new StudioError(
      'no-images',
      scan.roots.length === 1
        ? `The folder ${first.path} is empty.`
        : `The folders given are empty.`,
    )
  if (scan.roots.length === 1 && !first.isFolder) {
    const { reason } = scan.files[0]
    if (reason)
      throw new StudioError('not-readable', `${first.path} cannot be imported: ${reason}.`)
    throw new StudioError('no-images', `${first.path} is not an image (${formats}).`)
  }
  const n = scan.files.length
  throw new StudioError(
    'no-images',
    `No images found in ${describeRoots(scan)}: it has ${n} file${n === 1 ? '' : 's'}, none of them an image (${formats}).`,
  )
}

/** Every file was skipped: say why, most common reasons first. */
function nothingReadable(scan: ScanResult, skipped: SkippedFile[]): StudioError {
  const counts = new Map<string, number>()
  for (const { reason } of skipped) counts.set(reason, (counts.get(reason) ?? 0) + 1)
  const reasons = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([reason, n]) => `${reason} (${n} file${n === 1 ? '' : 's'})`)
  return new StudioError(
    'no-images',
    `No images could be read from ${describeRoots(scan)}: ${reasons.join('; ')}.`,
  )
}

function defaultName(scan: ScanResult): string {
  const names = scan.roots.map((root) => basename(root.path) || root.path)
  if (names.length === 1) return names[0]
  if (scan.roots.every((root) => !root.isFolder)) return `${names.length} files`
  return `${names[0]} and ${names.length - 1} more`
}
