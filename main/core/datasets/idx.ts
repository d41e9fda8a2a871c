// IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// a big-endian header (0, 0, type, dimension count, then one uint32 per dimension) followed
// by the values; often gzipped. Images are N×H×W uint8 (magic 0x00000803), labels N (0x00000801).
import { open, readdir, readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { constants, gunzip, gunzipSync } from 'node:zlib'
import { SkipFile } from './reasons'

const gunzipAsync = promisify(gunzip)
const unsignedByte = 0x08
const typeNames: Record<number, string> = {
  0x09: 'signed bytes',
  0x0b: '16-bit integers',
  0x0c: '32-bit integers',
  0x0d: '32-bit floats',
  0x0e: '64-bit floats',
}

export interface IdxHeader {
  /** N for labels, [N, H, W] for images */
  dims: number[]
  dataOffset: number
}

export interface IdxFile {
  header: IdxHeader
  /** the whole (decompressed) file */
  bytes: Buffer
}

export const fashionClassNames = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

export function parseIdxHeader(bytes: Buffer): IdxHeader {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0)
    throw new SkipFile('not an IDX file: its header is not the one MNIST files have')
  const type = bytes[2]
  const dimCount = bytes[3]
  if (type !== unsignedByte)
    throw new SkipFile(
      `IDX files of ${typeNames[type] ?? `type 0x${type.toString(16)}`} are not supported (only unsigned bytes, as in MNIST)`,
    )
  if (dimCount !== 1 && dimCount !== 3)
    throw new SkipFile(
      `an IDX file with ${dimCount} dimensions: expected images (N×H×W) or labels (N)`,
    )
  const dataOffset = 4 + 4 * dimCount
  if (bytes.length < dataOffset) throw new SkipFile('the file is truncated or damaged')
  const dims = Array.from({ length: dimCount }, (_, i) => bytes.readUInt32BE(4 + 4 * i))
  return { dims, dataOffset }
}

/** Reads just the header, decompressing only the start of a gzipped file. */
export async function peekIdx(path: string): Promise<IdxHeader> {
  const head = Buffer.alloc(4096)
  const file = await open(path, 'r')
  let length: number
  try {
    length = (await file.read(head, 0, head.length, 0)).bytesRead
  } finally {
    await file.close()
  }
  if (length === 0) throw new SkipFile('the file is empty')
  let start = head.subarray(0, length)
  if (isGzip(start)) {
    try {
      start = gunzipSync(start, { finishFlush: constants.Z_SYNC_FLUSH })
    } catch {
      throw new SkipFile('the file is truncated or damaged (it does not decompress)')
    }
  }
  return parseIdxHeader(start)
}

export async function readIdx(path: string): Promise<IdxFile> {
  let bytes = await readFile(path)
  if (bytes.length === 0) throw new SkipFile('the file is empty')
  if (isGzip(bytes)) {
    try {
      bytes = await gunzipAsync(bytes)
    } catch {
      throw new SkipFile('the file is truncated or damaged (it does not decompress)')
    }
  }
  const header = parseIdxHeader(bytes)
  const values = header.dims.reduce((a, b) => a * b, 1)
  if (bytes.length < header.dataOffset + values) {
    const [n, h, w] = header.dims
    throw new SkipFile(
      header.dims.length === 3
        ? `the file is truncated or damaged: it should hold ${n.toLocaleString('en')} images of ${h}×${w}, but is shorter`
        : `the file is truncated or damaged: it should hold ${n.toLocaleString('en')} labels, but is shorter`,
    )
  }
  return { header, bytes }
}

/**
 * The name with its images/labels parts blanked, so that an images file and its labels file
 * share it: train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz → "train-*-idx*-ubyte".
 */
export function pairingKey(path: string): string {
  return basename(path)
    .toLowerCase()
    .replace(/\.gz$/, '')
    .replace(/images?|labels?/, '*')
    .replace(/idx[1-4]/, 'idx*')
}

/** Labels files in the same folder as `imagesPath` whose name pairs with it. */
export async function labelsBesides(imagesPath: string): Promise<string[]> {
  const key = pairingKey(imagesPath)
  const folder = dirname(imagesPath)
  const names = await readdir(folder).catch(() => [] as string[])
  return names
    .filter((name) => /labels?/i.test(name) && pairingKey(name) === key)
    .map((name) => join(folder, name))
}

/** Label names: Fashion-MNIST's class names when the path says so, the digit otherwise. */
export function labelNamer(...paths: string[]): (value: number) => string {
  const fashion = paths.some((path) => /fashion/i.test(path))
  return (value) => (fashion ? fashionClassNames[value] : undefined) ?? String(value)
}
