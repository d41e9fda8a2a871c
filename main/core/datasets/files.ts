// Opens only regular files. A named pipe would block the thread that opens or reads it (for
// good, if nothing writes to it), and a device such as /dev/zero never ends: both are refused
// with a reason. O_NONBLOCK makes opening a pipe return at once; on a regular file it does
// nothing. Where the system has no such flag (Windows) there are no pipes to open by path.
import type { Stats } from 'node:fs'
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { fsReason, SkipFile } from './reasons'

const readOnly = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)
/** what one read into one buffer can hold, as fs.readFile has it */
const maxFileBytes = 2 ** 31 - 1

function checkRegular(stats: Stats): void {
  if (!stats.isFile()) throw new SkipFile(notRegularReason(stats))
  if (stats.size > maxFileBytes) throw new SkipFile(fsReason({ code: 'ERR_FS_FILE_TOO_LARGE' })!)
}

/** What a Stats or a Dirent says about the type of a file */
export type FileType = Pick<
  Stats,
  'isFile' | 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'
>

/** Why something that is not a regular file or a folder cannot be imported. */
export function notRegularReason(stats: FileType): string {
  const what = stats.isFIFO()
    ? 'a named pipe'
    : stats.isCharacterDevice() || stats.isBlockDevice()
      ? 'a device'
      : stats.isSocket()
        ? 'a socket'
        : 'something other than a file'
  return `not a regular file (${what}): only files and folders can be imported`
}

/** An open regular file and its size; closing it is the caller's. */
export async function openRegular(path: string): Promise<{ file: FileHandle; size: number }> {
  const file = await open(path, readOnly)
  try {
    const stats = await file.stat()
    checkRegular(stats)
    return { file, size: stats.size }
  } catch (error) {
    await file.close()
    throw error
  }
}

/** The whole of a regular file, in one read of its size. */
export async function readRegularFile(path: string): Promise<Buffer> {
  const { file, size } = await openRegular(path)
  try {
    const bytes = Buffer.allocUnsafe(size)
    let done = 0
    while (done < size) {
      const { bytesRead } = await file.read(bytes, done, size - done, done)
      if (bytesRead === 0) break // it shrank while being read
      done += bytesRead
    }
    return bytes.subarray(0, done)
  } finally {
    await file.close()
  }
}

/** readRegularFile for worker threads, where blocking costs nothing and is cheaper. */
export function readRegularFileSync(path: string): Buffer {
  const fd = openSync(path, readOnly)
  try {
    const stats = fstatSync(fd)
    checkRegular(stats)
    const bytes = Buffer.allocUnsafe(stats.size)
    let done = 0
    while (done < stats.size) {
      const read = readSync(fd, bytes, done, stats.size - done, done)
      if (read === 0) break
      done += read
    }
    return bytes.subarray(0, done)
  } finally {
    closeSync(fd)
  }
}
