// NumPy .npz archives (numpy.savez, savez_compressed): a ZIP of .npy files, one per array. Read
// here with node:zlib from the ZIP's central directory (APPNOTE.TXT: end record, directory
// entries, local headers; entries stored or deflated), so no archive library is needed. Which
// arrays are the images and labels: `x` and `y`, else `images` and `labels`, else the first two.
import { constants, inflateRawSync } from 'node:zlib'
import { readRegularFile } from './files'
import { SkipFile } from './reasons'

export interface NpzEntry {
  /** the array's name: the entry's name without `.npy` */
  name: string
  method: number
  compressedSize: number
  size: number
  /** where the entry's local header starts */
  offset: number
}

const endSignature = 0x06054b50
const entrySignature = 0x02014b50
const localSignature = 0x04034b50

const damaged = () =>
  new SkipFile('the .npz archive is truncated or damaged (its ZIP directory cannot be read)')

/** The archive's arrays, in the order they were saved. */
export function npzEntries(bytes: Buffer): NpzEntry[] {
  let end = -1
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65_535); at--)
    if (bytes.readUInt32LE(at) === endSignature) {
      end = at
      break
    }
  if (end < 0) throw new SkipFile('not a NumPy .npz archive: it is not a ZIP file')
  const count = bytes.readUInt16LE(end + 10)
  let at = bytes.readUInt32LE(end + 16)
  if (count === 0xffff || at === 0xffffffff)
    throw new SkipFile(
      'the .npz archive is over 4 GB (ZIP64): save the arrays as .npy files instead',
    )
  const entries: NpzEntry[] = []
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== entrySignature) throw damaged()
    const nameLength = bytes.readUInt16LE(at + 28)
    const extra = bytes.readUInt16LE(at + 30)
    const comment = bytes.readUInt16LE(at + 32)
    const file = bytes.toString('utf8', at + 46, at + 46 + nameLength)
    if (/\.npy$/i.test(file))
      entries.push({
        name: file.replace(/\.npy$/i, ''),
        method: bytes.readUInt16LE(at + 10),
        compressedSize: bytes.readUInt32LE(at + 20),
        size: bytes.readUInt32LE(at + 24),
        offset: bytes.readUInt32LE(at + 42),
      })
    at += 46 + nameLength + extra + comment
  }
  return entries
}

/** The entry's .npy bytes; with `head`, only about that many from its start (for its header). */
export function npzArrayBytes(bytes: Buffer, entry: NpzEntry, head?: number): Buffer {
  const at = entry.offset
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== localSignature) throw damaged()
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28)
  const data = bytes.subarray(start, start + entry.compressedSize)
  if (data.length < entry.compressedSize) throw damaged()
  if (entry.method === 0) return head === undefined ? data : data.subarray(0, head)
  if (entry.method !== 8)
    throw new SkipFile(
      `the array '${entry.name}' is compressed in a way NumPy does not write (method ${entry.method})`,
    )
  try {
    if (head !== undefined)
      return inflateRawSync(data.subarray(0, Math.min(data.length, head)), {
        finishFlush: constants.Z_SYNC_FLUSH,
      })
    return inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) })
  } catch {
    throw new SkipFile(
      `the array '${entry.name}' in the .npz archive is damaged (it does not decompress)`,
    )
  }
}

/** The images array and the labels array (if any) of an archive, by name. */
export function pickArrays(entries: readonly NpzEntry[]): {
  images: NpzEntry
  labels: NpzEntry | null
} {
  const named = (name: string) => entries.find((e) => e.name.toLowerCase() === name)
  for (const [images, labels] of [
    ['x', 'y'],
    ['images', 'labels'],
    ['x_train', 'y_train'],
  ]) {
    const found = named(images)
    if (found) return { images: found, labels: named(labels) ?? null }
  }
  if (entries.length === 0) throw new SkipFile('the .npz archive holds no arrays')
  return { images: entries[0], labels: entries[1] ?? null }
}

export async function readNpzFile(path: string): Promise<Buffer> {
  const bytes = await readRegularFile(path)
  if (bytes.length === 0) throw new SkipFile('the file is empty')
  return bytes
}
