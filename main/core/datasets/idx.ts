// IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// a big-endian header (0, 0, type, dimension count, then one uint32 per dimension) followed
// by the values; often gzipped. Images are N×H×W uint8 (magic 0x00000803), labels N (0x00000801).
import { readdir } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { constants, gunzip, gunzipSync } from 'node:zlib'
import { openRegular, readRegularFile } from './files'
import { SkipFile } from './reasons'

const gunzipAsync = promisify(gunzip)
/**
 * The most bytes an IDX file may hold once decompressed: it is read whole into memory. EMNIST's
 * largest file (697,932 images of 28×28) is 547 MB; a header declaring more is refused unread.
 */
export const maxIdxBytes = 1_000_000_000
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
  const header = { dims, dataOffset }
  if (dims.includes(0))
    throw new SkipFile(
      `the file holds no ${dimCount === 3 ? 'images' : 'labels'}: its header says ${describeDims(header)}`,
    )
  const size = declaredBytes(header)
  if (size > maxIdxBytes)
    throw new SkipFile(
      `its header says ${describeDims(header)} (${gigabytes(size)} once decompressed), more than the ${gigabytes(maxIdxBytes)} an IDX file may hold here`,
    )
  return header
}

/** The size of the file (decompressed) that the header describes. */
function declaredBytes(header: IdxHeader): number {
  return header.dataOffset + header.dims.reduce((a, b) => a * b, 1)
}

/** "60,000 images of 28×28 pixels", or "60,000 labels" */
function describeDims({ dims: [n, h, w] }: IdxHeader): string {
  const count = n.toLocaleString('en')
  return h === undefined ? `${count} labels` : `${count} images of ${h}×${w} pixels`
}

const gigabytes = (bytes: number) => `${Number((bytes / 1e9).toFixed(1))} GB`

function truncated({ dims: [n, h, w] }: IdxHeader): SkipFile {
  return new SkipFile(
    h === undefined
      ? `the file is truncated or damaged: it should hold ${n.toLocaleString('en')} labels, but is shorter`
      : `the file is truncated or damaged: it should hold ${n.toLocaleString('en')} images of ${h}×${w}, but is shorter`,
  )
}

/** Reads just the header, decompressing only the start of a gzipped file. */
/**
 * Reads just the header, decompressing only the start of a gzipped file; an uncompressed
 * file's header is checked against the file's size.
 */
export async function peekIdx(path: string): Promise<IdxHeader> {
  const head = Buffer.alloc(4096)
  const { file, size } = await openRegular(path)
  let length: number
  try {
    length = (await file.read(head, 0, head.length, 0)).bytesRead
  } finally {
    await file.close()
  }
  if (length === 0) throw new SkipFile('the file is empty')
  const start = head.subarray(0, length)
  if (!isGzip(start)) {
    const header = parseIdxHeader(start)
    if (declaredBytes(header) > size) throw truncated(header)
    return header
  }
  return parseIdxHeader(gunzipHead(start))
}

function gunzipHead(start: Buffer): Buffer {
  try {
    return gunzipSync(start, { finishFlush: constants.Z_SYNC_FLUSH })
  } catch {
    throw new SkipFile('the file is truncated or damaged (it does not decompress)')
  }
}

/** The whole file, decompressed; a gzip stops inflating at the size its header declares. */
export async function readIdx(path: string): Promise<IdxFile> {
  let bytes = await readRegularFile(path)
  if (bytes.length === 0) throw new SkipFile('the file is empty')
  if (isGzip(bytes)) {
    const header = parseIdxHeader(gunzipHead(bytes.subarray(0, 4096)))
    const declared = declaredBytes(header)
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: declared })
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new SkipFile(
          `the file is damaged: it decompresses to more than the ${declared.toLocaleString('en')} bytes its header declares (${describeDims(header)})`,
        )
      throw new SkipFile('the file is truncated or damaged (it does not decompress)')
    }
  }
  const header = parseIdxHeader(bytes)
  if (bytes.length < declaredBytes(header)) throw truncated(header)
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

/**
 * The mean pixel (0–255) above which 28×28 images with ten classes are taken for Fashion-MNIST.
 * Its files share their names, shape and classes with MNIST's, so the pixels decide: clothes fill
 * far more of the frame than strokes do. Means over the published files: Fashion-MNIST 72.9 (train)
 * and 73.1 (t10k); MNIST 33.3, Kuzushiji-MNIST 48.9, EMNIST about 44.
 */
export const fashionMeanPixel = 60

/**
 * Whether IDX images and their labels look like Fashion-MNIST, by content rather than by name:
 * 28×28 images, labels 0–9 with each of the ten present, and a mean pixel above
 * fashionMeanPixel (read over up to 1,000 images spread through the file).
 */
export function looksLikeFashionMnist(
  images: { dims: number[]; values: Uint8Array },
  labels: Uint8Array,
): boolean {
  const [count, height, width] = images.dims
  if (height !== 28 || width !== 28 || labels.length !== count) return false
  const seen = new Set<number>()
  for (const label of labels) {
    if (label > 9) return false
    seen.add(label)
  }
  if (seen.size !== 10) return false
  const size = height * width
  const sample = Math.min(count, 1000)
  let sum = 0
  for (let i = 0; i < sample; i++) {
    const from = Math.floor((i * count) / sample) * size
    for (let k = 0; k < size; k++) sum += images.values[from + k]
  }
  return sum / (sample * size) > fashionMeanPixel
}

/** Label names: Fashion-MNIST's class names where `fashion` says so, the digit otherwise. */
export function labelNamer(fashion: boolean): (value: number) => string {
  return (value) => (fashion ? fashionClassNames[value] : undefined) ?? String(value)
}
