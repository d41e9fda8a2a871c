// Finds the files under the dropped paths, with their ImageFolder labels, in path order.
import type { Dirent } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { cancelled, StudioError } from '../errors'
import { type FileType, notRegularReason, openRegular } from './files'
import { isLabelsCsv } from './labels-csv'
import { fsReason } from './reasons'

export type FileKind = 'image' | 'idx' | 'npy' | 'npz' | 'labels' | 'other' | 'unreadable'

export interface FoundFile {
  path: string
  /** first-level folder under the dropped folder; null for files at its top or dropped alone */
  label: string | null
  kind: FileKind
  ext: string
  /** why it cannot be read, for kind 'unreadable' */
  reason?: string
}

export interface DroppedPath {
  path: string
  isFolder: boolean
}

export interface ScanResult {
  roots: DroppedPath[]
  /** sorted by path */
  files: FoundFile[]
}

const imageExtensions = new Set(
  '.png .jpg .jpeg .jpe .jfif .webp .gif .tif .tiff .avif .svg .svgz .bmp .dib .heic .heif'.split(
    ' ',
  ),
)
const hiddenNames = new Set(['thumbs.db', 'desktop.ini', '__macosx', '$recycle.bin'])
/** IDX file names as MNIST ships them (`train-images-idx3-ubyte[.gz]`) or with an `.idx*` suffix. */
export const idxName = /idx[1-4][-_.]ubyte(\.gz)?$|\.idx[1-4]?(\.gz)?$/i
/**
 * A name that is not UTF-8 text (possible on Linux) reaches JavaScript with its bad bytes
 * replaced, and that name opens nothing: the file is skipped, saying so.
 */
const notUtf8Reason = (what: 'file' | 'folder') =>
  `the ${what}'s name is not valid UTF-8 text, so it cannot be opened here: rename it and import again`

export function isHidden(name: string): boolean {
  return name.startsWith('.') || hiddenNames.has(name.toLowerCase())
}

export async function scanPaths(
  paths: readonly string[],
  onFound: (count: number) => void = () => {},
  signal?: AbortSignal,
): Promise<ScanResult> {
  const roots: DroppedPath[] = []
  /** dropped paths that are neither a file nor a folder (a pipe, a device), with the reason */
  const notRegular = new Map<string, string>()
  for (const given of paths) {
    const path = resolve(given)
    const info = await stat(path).catch((error: unknown) => {
      throw new StudioError(
        'not-found',
        (error as { code?: string }).code === 'ENOENT'
          ? `${given} does not exist: it may have been moved or deleted.`
          : `${given} cannot be opened: ${fsReason(error) ?? String(error)}.`,
      )
    })
    roots.push({ path, isFolder: info.isDirectory() })
    if (!info.isDirectory() && !info.isFile()) notRegular.set(path, notRegularReason(info))
  }

  const files: FoundFile[] = []
  const visitedFolders = new Set<string>()
  const skip = (path: string, label: string | null, reason: string) => {
    files.push({ path, label, kind: 'unreadable', ext: extname(path), reason })
    onFound(files.length)
  }
  const found = async (path: string, label: string | null) => {
    files.push(await classify(path, label))
    onFound(files.length)
  }

  // Walks one folder; `label` is null at the dropped folder's top and fixed below it.
  const walk = async (folder: string, label: string | null, isRoot: boolean): Promise<void> => {
    if (signal?.aborted) throw cancelled()
    let entries: Dirent<Buffer>[]
    try {
      // Symlinks are followed, so the same folder can be reached again (a loop): visit it once.
      const real = await realpath(folder)
      if (visitedFolders.has(real)) return
      visitedFolders.add(real)
      entries = await readdir(folder, { withFileTypes: true, encoding: 'buffer' })
    } catch (error) {
      if (isRoot)
        throw new StudioError(
          'not-readable',
          `The folder ${folder} cannot be opened: ${fsReason(error) ?? String(error)}.`,
        )
      files.push({
        path: folder,
        label,
        kind: 'unreadable',
        ext: '',
        reason: `the folder could not be opened: ${fsReason(error) ?? String(error)}`,
      })
      return
    }
    for (const entry of entries) {
      const name = entry.name.toString('utf8')
      if (isHidden(name)) continue
      const path = join(folder, name)
      let type: FileType = entry
      if (entry.isSymbolicLink()) {
        const target = await stat(path).catch((error: unknown) => error as Error)
        if (target instanceof Error) {
          const reason =
            (target as { code?: string }).code === 'ENOENT'
              ? 'a shortcut (symbolic link) to something that no longer exists'
              : (fsReason(target) ?? String(target))
          skip(path, label, reason)
          continue
        }
        type = target
      }
      const isFolder = type.isDirectory()
      if (!Buffer.from(name).equals(entry.name))
        skip(path, isRoot ? null : label, notUtf8Reason(isFolder ? 'folder' : 'file'))
      else if (isFolder) await walk(path, isRoot ? name : label, false)
      else if (type.isFile()) await found(path, label)
      else skip(path, label, notRegularReason(type))
    }
  }

  for (const root of roots) {
    const reason = notRegular.get(root.path)
    if (root.isFolder) await walk(root.path, null, true)
    else if (reason) skip(root.path, null, reason)
    else await found(root.path, null)
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  // the same file given twice (or given and inside a folder given) is imported once
  return { roots, files: files.filter((file, i) => i === 0 || file.path !== files[i - 1].path) }
}

async function classify(path: string, label: string | null): Promise<FoundFile> {
  const ext = extname(path)
  const lower = ext.toLowerCase()
  const name = basename(path)
  let kind: FileKind = 'other'
  if (imageExtensions.has(lower)) kind = 'image'
  else if (lower === '.npy') kind = 'npy'
  else if (lower === '.npz') kind = 'npz'
  else if (isLabelsCsv(name)) kind = 'labels'
  else if (idxName.test(name)) kind = 'idx'
  else if (lower === '') kind = await sniff(path)
  return { path, label, kind, ext }
}

/** For files without an extension: look at the first bytes. */
async function sniff(path: string): Promise<FileKind> {
  const head = Buffer.alloc(16)
  try {
    const { file } = await openRegular(path)
    try {
      await file.read(head, 0, 16, 0)
    } finally {
      await file.close()
    }
  } catch {
    return 'image' // unreadable: let the decoder report why
  }
  const ascii = head.toString('latin1')
  if (head[0] === 0x89 && ascii.slice(1, 4) === 'PNG') return 'image'
  if (head[0] === 0xff && head[1] === 0xd8) return 'image'
  if (
    ascii.startsWith('GIF8') ||
    ascii.startsWith('BM') ||
    ascii.startsWith('II*') ||
    ascii.startsWith('MM\0*')
  )
    return 'image'
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image'
  if (ascii.slice(4, 8) === 'ftyp') return 'image'
  if (ascii.startsWith('\x93NUMPY')) return 'npy'
  if (head[0] === 0 && head[1] === 0 && head[2] === 0x08 && head[3] >= 1 && head[3] <= 4)
    return 'idx'
  return 'other'
}
