// Export files are written under hidden temporary names beside their targets and renamed into
// place only once every file of the export is complete, so a failure (a full disk, a bad item)
// leaves the user's folder as it was: no half file, and an earlier export of the same name intact.
// An existing file is replaced only when the caller says the user agreed (overwrite).
import { randomBytes } from 'node:crypto'
import { endianness } from 'node:os'
import { link, lstat, mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { StudioError } from '../errors'

/** Buffered text and bytes written to one open file. */
export class OutputFile {
  private pending: (string | Uint8Array)[] = []
  private pendingSize = 0

  constructor(private readonly handle: FileHandle) {}

  /** Queues a chunk; writes to disk once about a mebibyte has gathered. */
  async write(chunk: string | Uint8Array): Promise<void> {
    this.pending.push(chunk)
    this.pendingSize += chunk.length
    if (this.pendingSize >= 1 << 20) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return
    const bytes = Buffer.concat(
      this.pending.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)),
    )
    this.pending = []
    this.pendingSize = 0
    await this.handle.write(bytes)
  }

  async close(): Promise<void> {
    try {
      await this.flush()
    } finally {
      await this.handle.close()
    }
  }
}

interface StagedFile {
  temp: string
  target: string
  output?: OutputFile
  closed: boolean
}

/** The files of one export, written to temporary names until commit. */
export class Staging {
  private readonly files: StagedFile[] = []

  constructor(private readonly overwrite = false) {}

  /** A temporary path beside `target` (its folder created), for a writer that makes its own file. */
  async path(target: string): Promise<string> {
    return (await this.stage(target)).temp
  }

  async open(target: string): Promise<OutputFile> {
    const staged = await this.stage(target)
    staged.output = new OutputFile(await writable(() => open(staged.temp, 'w'), target))
    staged.closed = false
    return staged.output
  }

  async write(target: string, data: string | Uint8Array): Promise<void> {
    const temp = await this.path(target)
    await writable(() => writeFile(temp, data), target)
  }

  /**
   * Closes every file and moves it to its target; returns the targets. Without overwrite, a
   * target that appeared meanwhile stops the commit before any file is moved (and `link` refuses
   * one that appears during it), so nothing existing is ever replaced.
   */
  async commit(): Promise<string[]> {
    for (const file of this.files) await this.close(file)
    if (!this.overwrite) await refuseExisting(this.files.map((file) => file.target))
    for (const file of this.files)
      await writable(async () => {
        if (this.overwrite) return rename(file.temp, file.target)
        await link(file.temp, file.target).catch((error: unknown) => {
          throw (error as { code?: string }).code === 'EEXIST' ? existsError([file.target]) : error
        })
        await rm(file.temp, { force: true })
      }, file.target)
    return this.files.map((file) => file.target)
  }

  /** Closes and removes every temporary file; never throws. */
  async discard(): Promise<void> {
    for (const file of this.files) {
      await this.close(file).catch(() => {})
      await rm(file.temp, { force: true }).catch(() => {})
    }
  }

  private async stage(target: string): Promise<StagedFile> {
    if (!this.overwrite) await refuseExisting([target])
    const folder = dirname(target)
    await makeFolder(folder)
    const temp = join(folder, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
    const staged: StagedFile = { temp, target, closed: true }
    this.files.push(staged)
    return staged
  }

  private async close(file: StagedFile): Promise<void> {
    if (file.closed) return
    file.closed = true
    await file.output?.close()
  }
}

/** Runs an export's writing and commits its files, or removes them all if anything fails. */
/** How a folder export reports its progress and hears a cancel (runs.export's bundles). */
export interface ExportProgress {
  signal?: AbortSignal
  onProgress?: (progress: { done: number; total: number }) => void
}

/** One step of `total` done: says so, or stops the export if it was cancelled meanwhile. */
export function stepDone(progress: ExportProgress, done: number, total: number): void {
  if (progress.signal?.aborted)
    throw new StudioError('cancelled', `Export cancelled after ${done} of ${total} steps.`)
  progress.onProgress?.({ done, total })
}

export async function staged(
  work: (staging: Staging) => Promise<void>,
  overwrite = false,
): Promise<string[]> {
  const staging = new Staging(overwrite)
  try {
    await work(staging)
    return await staging.commit()
  } catch (error) {
    await staging.discard()
    throw error
  }
}

export async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  )
}

/** The `exists` error a shell answers by asking the user whether to replace the files. */
export function existsError(paths: string[]): StudioError {
  const more = paths.length > 1 ? ` and ${paths.length - 1} more` : ''
  return new StudioError(
    'exists',
    `${paths[0]}${more} already exist${paths.length > 1 ? '' : 's'}: choose another name, or agree to replace ${paths.length > 1 ? 'them' : 'it'}.`,
  )
}

/** Throws existsError for those of `paths` that exist. */
export async function refuseExisting(paths: string[]): Promise<void> {
  const taken: string[] = []
  for (const path of paths) if (await exists(path)) taken.push(path)
  if (taken.length > 0) throw existsError(taken)
}

/** Creates a folder (and its parents); a file in the way is the user's to move. */
export async function makeFolder(folder: string): Promise<void> {
  await writable(() => mkdir(folder, { recursive: true }), folder)
}

const cannotWrite: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  EEXIST: 'a file of that name is in the way of a folder',
  ENOTDIR: 'a file of that name is in the way of a folder',
  EISDIR: 'it is a folder',
}

/** Reports the file-system errors a user can act on as such; others (a full disk) go on as they are. */
async function writable<T>(action: () => Promise<T>, target: string): Promise<T> {
  try {
    return await action()
  } catch (error) {
    const reason = cannotWrite[(error as { code?: string })?.code ?? '']
    if (reason) throw new StudioError('bad-params', `Cannot write ${target}: ${reason}.`)
    throw error
  }
}

const littleEndian = endianness() === 'LE'

/** The bytes of float32 values in little-endian order (.npy '<f4', tfjs weights). */
export function float32Bytes(values: Float32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
  const bytes = new Uint8Array(values.length * 4)
  const view = new DataView(bytes.buffer)
  values.forEach((value, i) => view.setFloat32(i * 4, value, true))
  return bytes
}
