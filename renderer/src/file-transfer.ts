// Files in and out of the app: a drop or a folder pick becomes paths to import (uploaded to
// `studio serve` first in a browser), and an export is saved with a native dialog in Electron or
// downloaded in a browser.
import type { SaveRequest, StudioBridge } from '../../preload/api-types'
import { ApiError, bridge } from './bridge'

export interface UploadProgress {
  done: number
  total: number
  /** names of the dropped or picked top-level folders and files */
  roots: string[]
}

export interface UploadOptions {
  /** called once with done = 0 when uploading starts, then after each file */
  onProgress?: (progress: UploadProgress) => void
  signal?: AbortSignal
}

// ---------------------------------------------------------------------------------------------
// Files in: drop and folder picker

interface UploadFile {
  file: File
  /** path under the upload folder, starting with the dropped folder's own name */
  path: string
}

const uploadConcurrency = 6

/** Sends files to `studio serve`, which keeps them in one folder per upload; returns [that folder]. */
async function upload(
  files: UploadFile[],
  options: UploadOptions,
  names: string[] = [],
): Promise<string[]> {
  if (files.length === 0) throw nothingToImport(names)
  const uploadId = crypto.randomUUID()
  const roots = [...new Set(files.map((f) => f.path.split('/')[0]))]
  const progress = { done: 0, total: files.length, roots }
  options.onProgress?.({ ...progress })
  // One failure stops the other uploads too.
  const stop = new AbortController()
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal
  let dir = ''
  let next = 0

  async function sendOne({ file, path }: UploadFile): Promise<void> {
    const url = `/upload?upload=${uploadId}&path=${encodeURIComponent(path)}`
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        body: file,
        credentials: 'same-origin',
        signal,
      })
    } catch (error) {
      if (signal.aborted) throw new ApiError('cancelled', 'Cancelled.')
      throw new ApiError('upload-failed', `Could not upload ${path}: ${(error as Error).message}`)
    }
    const body = (await response.json().catch(() => null)) as {
      dir?: string
      code?: string
      message?: string
    } | null
    if (!response.ok) {
      if (body?.code && body.message) throw new ApiError(body.code, body.message)
      throw new ApiError('upload-failed', `Could not upload ${path} (HTTP ${response.status}).`)
    }
    if (!body?.dir)
      throw new ApiError('upload-failed', 'The server did not say where it kept the upload.')
    dir = body.dir
  }

  async function worker(): Promise<void> {
    while (next < files.length) {
      if (signal.aborted) throw new ApiError('cancelled', 'Cancelled.')
      await sendOne(files[next++])
      progress.done++
      options.onProgress?.({ ...progress })
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.min(uploadConcurrency, files.length) }, worker))
  } catch (error) {
    stop.abort()
    // The server keeps no copy of an upload that will not be imported.
    void fetch(`/upload?upload=${uploadId}`, { method: 'DELETE', credentials: 'same-origin' })
    throw error
  }
  return importPaths(dir, files)
}

/** An empty folder picked or dropped: said at once, before anything is uploaded. */
function nothingToImport(names: string[]): ApiError {
  const what =
    names.length === 0
      ? 'The folder you chose is empty'
      : names.length === 1
        ? `The folder ${names[0]} is empty`
        : `The folders ${names.join(', ')} are empty`
  return new ApiError('no-images', `${what}: there are no files in it to import.`)
}

/** The most paths one datasets.import call takes (its schema's limit). */
const maxImportPaths = 10_000

/**
 * What to import from an upload folder: each dropped folder inside it, as if it had been dropped
 * from disk, so its subfolders (not its own name) become the labels; loose files as themselves.
 */
function importPaths(dir: string, files: UploadFile[]): string[] {
  const separator = dir.includes('\\') && !dir.includes('/') ? '\\' : '/'
  const tops = new Set<string>()
  for (const { path } of files) {
    const slash = path.indexOf('/')
    tops.add(slash < 0 ? path : path.slice(0, slash))
  }
  // Top-level files carry no label either way: the upload folder itself holds them all.
  if (tops.size > maxImportPaths) return [dir]
  return [...tops].map((top) => `${dir.replace(/[\\/]+$/, '')}${separator}${top}`)
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject))
}

/** Every file under a dropped entry, folders walked recursively. */
async function walk(entry: FileSystemEntry, out: UploadFile[]): Promise<void> {
  if (entry.isFile) {
    out.push({
      file: await fileOf(entry as FileSystemFileEntry),
      path: entry.fullPath.replace(/^\/+/, ''),
    })
    return
  }
  if (!entry.isDirectory) return
  const reader = (entry as FileSystemDirectoryEntry).createReader()
  // readEntries hands out a directory in batches (about 100 at a time) until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    )
    if (batch.length === 0) break
    for (const child of batch) await walk(child, out)
  }
}

/** Whether a drag carries files (not text or a link dragged from the page). */
export function dragHasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files')
}

/**
 * The paths to import from a drop: the files' own paths in Electron; in the browser, the dropped
 * files and folders are uploaded first and the upload folder is returned.
 * Must be called synchronously from the drop handler: the DataTransfer empties after it.
 */
export function pathsFromDrop(event: DragEvent, options: UploadOptions = {}): Promise<string[]> {
  const transfer = event.dataTransfer
  if (!transfer) return Promise.resolve([])
  const electron = bridge
  if (electron) {
    const paths = Array.from(transfer.files, (file) => electron.pathForFile(file)).filter(Boolean)
    return Promise.resolve(paths)
  }
  const entries: FileSystemEntry[] = []
  const loose: File[] = []
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue
    const entry = item.webkitGetAsEntry()
    const file = entry ? null : item.getAsFile()
    if (entry) entries.push(entry)
    else if (file) loose.push(file)
  }
  return (async () => {
    const files: UploadFile[] = loose.map((file) => ({ file, path: file.name }))
    for (const entry of entries) await walk(entry, files)
    return upload(
      files,
      options,
      entries.map((entry) => entry.name),
    )
  })()
}

// The browser's folder picker is a hidden <input webkitdirectory>; tests set files on it directly.
let pendingPick: {
  resolve: (paths: string[] | null) => void
  reject: (error: Error) => void
  options: UploadOptions
} | null = null
let unpromptedPick: ((run: (options: UploadOptions) => Promise<string[]>) => void) | null = null

function filesOfInput(input: HTMLInputElement): UploadFile[] {
  return Array.from(input.files ?? [], (file) => ({
    file,
    path: file.webkitRelativePath || file.name,
  }))
}

function createFolderInput(): HTMLInputElement {
  const input = document.createElement('input')
  input.type = 'file'
  input.multiple = true
  input.webkitdirectory = true
  input.hidden = true
  input.dataset.testid = 'folder-input'
  input.setAttribute('aria-hidden', 'true')
  input.addEventListener('change', () => {
    const files = filesOfInput(input)
    input.value = ''
    const pick = pendingPick
    pendingPick = null
    // A change with no files is an empty folder chosen (a cancel fires 'cancel'): say so.
    if (pick) upload(files, pick.options).then(pick.resolve, pick.reject)
    else unpromptedPick?.((options) => upload(files, options))
  })
  input.addEventListener('cancel', () => {
    pendingPick?.resolve(null)
    pendingPick = null
  })
  document.body.append(input)
  return input
}

const folderInput = bridge ? null : createFolderInput()

/** Opens a folder picker; returns the paths to import, or null when the user cancels. */
export function pickFolderAndGetPaths(options: UploadOptions = {}): Promise<string[] | null> {
  if (bridge) return bridge.pickFolder()
  pendingPick?.resolve(null)
  return new Promise((resolve, reject) => {
    pendingPick = { resolve, reject, options }
    folderInput!.click()
  })
}

/**
 * Files that reach the browser's folder input without a pickFolderAndGetPaths() waiting for them
 * (set by a test or by assistive technology) are handed here, with the upload still to run.
 */
export function onUnpromptedPick(
  handler: (run: (options: UploadOptions) => Promise<string[]>) => void,
): void {
  unpromptedPick = handler
}

// ---------------------------------------------------------------------------------------------
// Files out: exports

/** Electron: asks where to save with a native dialog (null when cancelled); absent in a browser. */
export const pickSave: ((request: SaveRequest) => ReturnType<StudioBridge['pickSave']>) | null =
  bridge ? (request) => bridge!.pickSave(request) : null

/**
 * Browser: asks `studio serve` to write an export for download; returns the one-time URL and the
 * name the browser saves it as (a folder comes as a .zip). Progress arrives as export:progress.
 */
export async function prepareDownload(
  method: 'clusterings.export' | 'runs.exportOutliers' | 'runs.export' | 'items.export',
  params: Record<string, unknown>,
  name: string,
): Promise<{ url: string; name: string; files: number }> {
  let response: Response
  try {
    response = await fetch('/exports', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ method, params, name }),
    })
  } catch (error) {
    throw new ApiError('connection-lost', `Could not reach the app: ${(error as Error).message}`)
  }
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null
  if (!response.ok || typeof body?.url !== 'string')
    throw new ApiError(
      String(body?.code ?? 'internal'),
      String(body?.message ?? `The export failed (HTTP ${response.status}).`),
    )
  return body as { url: string; name: string; files: number }
}

/** Starts the browser's own download of a prepared export (it streams to disk, not memory). */
export function startDownload(url: string, name: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
}
