// A folder as a ZIP stream, for a browser download: files stored as they are (images are already
// compressed), each read once, CRC'd and sent, so only one file is ever held in memory. ZIP64
// records are added when there are 65,535 entries or more, or the archive passes 4 GiB.
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { crc32 } from 'node:zlib'

const utf8Flag = 0x0800
const max16 = 0xffff
const max32 = 0xffffffff

/** Every file under `folder`, sorted, as paths relative to it with `/` separators. */
export async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort()
}

/** MS-DOS date and time, as ZIP stores them. */
function dosTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getFullYear())
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  }
}

interface Entry {
  name: Buffer
  crc: number
  size: number
  offset: number
  time: { time: number; date: number }
}

function localHeader(entry: Entry): Buffer {
  const header = Buffer.alloc(30)
  header.writeUInt32LE(0x04034b50, 0)
  header.writeUInt16LE(20, 4)
  header.writeUInt16LE(utf8Flag, 6)
  header.writeUInt16LE(0, 8) // stored
  writeEntryFields(header, 10, entry)
  header.writeUInt16LE(0, 28)
  return Buffer.concat([header, entry.name])
}

/** Time, date, CRC, both sizes and the name's length: the same run in both kinds of header. */
function writeEntryFields(header: Buffer, at: number, entry: Entry): void {
  header.writeUInt16LE(entry.time.time, at)
  header.writeUInt16LE(entry.time.date, at + 2)
  header.writeUInt32LE(entry.crc, at + 4)
  header.writeUInt32LE(entry.size, at + 8)
  header.writeUInt32LE(entry.size, at + 12)
  header.writeUInt16LE(entry.name.length, at + 16)
}

function centralHeader(entry: Entry, zip64: boolean): Buffer {
  const far = zip64 && entry.offset >= max32
  const extra = Buffer.alloc(far ? 12 : 0)
  if (far) {
    extra.writeUInt16LE(0x0001, 0)
    extra.writeUInt16LE(8, 2)
    extra.writeBigUInt64LE(BigInt(entry.offset), 4)
  }
  const header = Buffer.alloc(46)
  header.writeUInt32LE(0x02014b50, 0)
  header.writeUInt16LE((3 << 8) | 45, 4) // made on Unix, ZIP 4.5
  header.writeUInt16LE(far ? 45 : 20, 6)
  header.writeUInt16LE(utf8Flag, 8)
  header.writeUInt16LE(0, 10)
  writeEntryFields(header, 12, entry)
  header.writeUInt16LE(extra.length, 30)
  header.writeUInt32LE((0o100644 << 16) >>> 0, 38) // a regular file, rw-r--r--
  header.writeUInt32LE(far ? max32 : entry.offset, 42)
  return Buffer.concat([header, entry.name, extra])
}

function endRecords(count: number, size: number, offset: number, zip64: boolean): Buffer {
  const parts: Buffer[] = []
  if (zip64) {
    const record = Buffer.alloc(56)
    record.writeUInt32LE(0x06064b50, 0)
    record.writeBigUInt64LE(44n, 4)
    record.writeUInt16LE(45, 12)
    record.writeUInt16LE(45, 14)
    record.writeBigUInt64LE(BigInt(count), 24)
    record.writeBigUInt64LE(BigInt(count), 32)
    record.writeBigUInt64LE(BigInt(size), 40)
    record.writeBigUInt64LE(BigInt(offset), 48)
    const locator = Buffer.alloc(20)
    locator.writeUInt32LE(0x07064b50, 0)
    locator.writeBigUInt64LE(BigInt(offset + size), 8)
    locator.writeUInt32LE(1, 16)
    parts.push(record, locator)
  }
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Math.min(count, max16), 8)
  end.writeUInt16LE(Math.min(count, max16), 10)
  end.writeUInt32LE(Math.min(size, max32), 12)
  end.writeUInt32LE(Math.min(offset, max32), 16)
  parts.push(end)
  return Buffer.concat(parts)
}

/**
 * The bytes of a ZIP of `files` (paths relative to `folder`), each stored as `prefix/path`.
 * `zip64Above` lowers the ZIP64 thresholds, for tests.
 */
export async function* zipStream(
  folder: string,
  files: string[],
  prefix: string,
  zip64Above = { count: max16, offset: max32 },
): AsyncGenerator<Buffer> {
  const entries: Entry[] = []
  let offset = 0
  for (const file of files) {
    const path = join(folder, ...file.split('/'))
    const [data, info] = await Promise.all([readFile(path), stat(path)])
    if (data.length >= max32) throw new Error(`${file} is too large for this archive (4 GiB).`)
    const name = Buffer.from(`${prefix}/${file}`, 'utf8')
    const entry = { name, crc: crc32(data), size: data.length, offset, time: dosTime(info.mtime) }
    entries.push(entry)
    const header = localHeader(entry)
    yield header
    yield data
    offset += header.length + data.length
  }
  const zip64 = entries.length >= zip64Above.count || offset >= zip64Above.offset
  const central = Buffer.concat(entries.map((entry) => centralHeader(entry, zip64)))
  yield central
  yield endRecords(entries.length, central.length, offset, zip64)
}
