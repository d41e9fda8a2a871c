// NumPy .npy arrays. The format is small enough to parse by hand
// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): "\x93NUMPY", a
// version (1.0, 2.0 or 3.0), a little-endian header length (uint16 in 1.0, uint32 after), and a
// Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }.
import { openRegular, readRegularFile } from './files'
import { SkipFile } from './reasons'

export type NpyType = 'u1' | 'f4' | 'f8'

export interface NpyHeader {
  type: NpyType
  /** N×H×W, N×H×W×C, or N×C×H×W when `channelsFirst` */
  shape: number[]
  dataOffset: number
  /** PyTorch's layout, recognised by its shape: converted to channels last on reading */
  channelsFirst: boolean
}

export interface NpyArray {
  header: NpyHeader
  /** N×H×W×C uint8 values (floats in [0, 1] scaled to 0–255) */
  values: Uint8Array
  count: number
  height: number
  width: number
  channels: 1 | 3 | 4
}

const bytesPerValue: Record<NpyType, number> = { u1: 1, f4: 4, f8: 8 }
const unsupportedType = (descr: string) =>
  new SkipFile(
    `NumPy arrays of type '${descr}' are not supported: use uint8, or float32/float64 in [0, 1]`,
  )

interface NpyDict {
  descr: string
  shape: number[]
  dataOffset: number
}

/** The header of any .npy array: its type, shape and where its data starts. */
function parseNpyDict(bytes: Buffer): NpyDict {
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY')
    throw new SkipFile('not a NumPy .npy file: its header is missing')
  const major = bytes[6]
  if (major < 1 || major > 3) throw new SkipFile(`NumPy format version ${major} is not supported`)
  const lengthSize = major === 1 ? 2 : 4
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8)
  const dataOffset = 8 + lengthSize + headerLength
  if (bytes.length < dataOffset) throw new SkipFile('the file is truncated or damaged')
  const dict = bytes.toString(major === 3 ? 'utf8' : 'latin1', 8 + lengthSize, dataOffset)

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(dict)?.[1]
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(dict)?.[1]
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(dict)?.[1]
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new SkipFile('the file is truncated or damaged (its NumPy header cannot be read)')
  if (fortran === 'True')
    throw new SkipFile(
      'the array is stored in Fortran order: save it in C order (numpy.ascontiguousarray) and try again',
    )
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number)
  if (!shape.every((n) => Number.isInteger(n) && n >= 0))
    throw new SkipFile('the file is truncated or damaged (its NumPy shape cannot be read)')
  return { descr, shape, dataOffset }
}

const imageChannels = [1, 3, 4]

export function parseNpyHeader(bytes: Buffer): NpyHeader {
  const { descr, shape, dataOffset } = parseNpyDict(bytes)
  const [byteOrder, type] = [descr.slice(0, descr.length - 2), descr.slice(-2)]
  if (!['u1', 'f4', 'f8'].includes(type) || !['<', '|', '=', ''].includes(byteOrder)) {
    if (byteOrder === '>')
      throw new SkipFile('big-endian NumPy arrays are not supported: save it little-endian')
    throw unsupportedType(descr)
  }
  if (type !== 'u1' && byteOrder === '|') throw unsupportedType(descr)
  // PyTorch's N×C×H×W: channels (1, 3 or 4) second and a last side that cannot be channels
  const channelsFirst =
    shape.length === 4 && imageChannels.includes(shape[1]) && !imageChannels.includes(shape[3])
  if (!(
    shape.length === 3 ||
    (shape.length === 4 && (channelsFirst || imageChannels.includes(shape[3])))
  ))
    throw new SkipFile(
      `the array's shape is (${shape.join(', ')}): expected N×H×W, N×H×W×C or N×C×H×W with C = 1, 3 or 4`,
    )
  if (shape.includes(0))
    throw new SkipFile(`the array holds no images: its shape is (${shape.join(', ')})`)
  return { type: type as NpyType, shape, dataOffset, channelsFirst }
}

/**
 * A 1-D array of labels, one per image, as text: integers, booleans or strings (numpy's
 * '<U' unicode); an N×1 column is taken as N.
 */
export function parseNpyLabels(bytes: Buffer, count: number): string[] {
  const { descr, shape, dataOffset } = parseNpyDict(bytes)
  const n = shape[0]
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1)))
    throw new SkipFile(
      `the labels array's shape is (${shape.join(', ')}): expected one label per image, (N,)`,
    )
  if (n !== count)
    throw new SkipFile(
      `the labels array has ${n.toLocaleString('en')} labels for ${count.toLocaleString('en')} images`,
    )
  const data = bytes.subarray(dataOffset)
  const match = /^([<>|=]?)([biuU])(\d+)$/.exec(descr)
  const size = match ? Number(match[3]) : 0
  const kind = match?.[2]
  if (!match || match[1] === '>' || (kind !== 'U' && ![1, 2, 4, 8].includes(size)))
    throw new SkipFile(`labels of type '${descr}' are not supported: use integers or strings`)
  const width = kind === 'U' ? 4 * size : size
  if (data.length < n * width) throw new SkipFile('the labels array is truncated or damaged')
  return Array.from({ length: n }, (_, i) => {
    const at = i * width
    if (kind === 'U') {
      let text = ''
      for (let c = 0; c < size; c++) {
        const code = data.readUInt32LE(at + 4 * c)
        if (code === 0) break
        text += String.fromCodePoint(code)
      }
      return text
    }
    if (kind === 'b') return data[at] ? 'True' : 'False'
    const signed = kind === 'i'
    if (size === 1) return String(signed ? data.readInt8(at) : data[at])
    if (size === 2) return String(signed ? data.readInt16LE(at) : data.readUInt16LE(at))
    if (size === 4) return String(signed ? data.readInt32LE(at) : data.readUInt32LE(at))
    return String(signed ? data.readBigInt64LE(at) : data.readBigUInt64LE(at))
  })
}

/** The bytes of data the header describes. */
function declaredBytes({ shape, type }: NpyHeader): number {
  return shape.reduce((a, b) => a * b, bytesPerValue[type])
}

function checkSize(header: NpyHeader, fileSize: number): void {
  if (header.dataOffset + declaredBytes(header) > fileSize)
    throw new SkipFile(
      `the file is truncated or damaged: its header says ${header.shape.join('×')} values, but it is shorter`,
    )
}

/** Reads just the header (it fits in the first few kilobytes), checked against the file's size. */
export async function peekNpy(path: string): Promise<NpyHeader> {
  const head = Buffer.alloc(65_536 + 12)
  const { file, size } = await openRegular(path)
  try {
    const { bytesRead } = await file.read(head, 0, head.length, 0)
    if (bytesRead === 0) throw new SkipFile('the file is empty')
    const header = parseNpyHeader(head.subarray(0, bytesRead))
    checkSize(header, size)
    return header
  } finally {
    await file.close()
  }
}

export async function readNpy(path: string): Promise<NpyArray> {
  const bytes = await readRegularFile(path)
  if (bytes.length === 0) throw new SkipFile('the file is empty')
  return npyImages(bytes)
}

/** The images of a whole .npy file's bytes, channels last. */
export function npyImages(bytes: Buffer): NpyArray {
  const header = parseNpyHeader(bytes)
  checkSize(header, bytes.length)
  const { shape, channelsFirst } = header
  const [count, height, width, channels = 1] = channelsFirst
    ? [shape[0], shape[2], shape[3], shape[1]]
    : shape
  const length = count * height * width * channels
  const data = bytes.subarray(header.dataOffset)
  const values = toBytes(data, header.type, length)
  return {
    header,
    values: channelsFirst ? channelsLast(values, count, channels, height * width) : values,
    count,
    height,
    width,
    channels: channels as 1 | 3 | 4,
  }
}

/** N×C×(H·W) → N×(H·W)×C. */
function channelsLast(values: Uint8Array, count: number, channels: number, area: number) {
  if (channels === 1) return values
  const out = new Uint8Array(values.length)
  for (let n = 0; n < count; n++) {
    const base = n * channels * area
    for (let c = 0; c < channels; c++)
      for (let p = 0; p < area; p++) out[base + p * channels + c] = values[base + c * area + p]
  }
  return out
}

/** What the user is told about a channel-first array, read and converted. */
export function channelsFirstNote(shape: readonly number[]): string {
  return `note, not skipped: read as channels first (${shape.join('×')}, N×C×H×W as PyTorch keeps images) because its second side is ${shape[1]}; every image was imported, converted to channels last`
}

function toBytes(data: Buffer, type: NpyType, length: number): Uint8Array {
  if (type === 'u1') return data.subarray(0, length)
  const size = bytesPerValue[type]
  // Typed arrays need aligned offsets; copy when the data is not aligned.
  const aligned = data.byteOffset % size === 0 ? data : Buffer.from(data.subarray(0, length * size))
  const floats =
    type === 'f4'
      ? new Float32Array(aligned.buffer, aligned.byteOffset, length)
      : new Float64Array(aligned.buffer, aligned.byteOffset, length)
  const values = new Uint8Array(length)
  let min = Infinity
  let max = -Infinity
  let hasNaN = false
  for (let i = 0; i < length; i++) {
    const v = floats[i]
    if (v < min) min = v
    if (v > max) max = v
    if (v !== v) hasNaN = true
    values[i] = Math.round(v * 255)
  }
  if (hasNaN) throw new SkipFile('the array contains NaN values: floats must lie in [0, 1]')
  // a little tolerance for values like 1.0000001 from float arithmetic
  if (min < -1e-6 || max > 1 + 1e-6)
    throw new SkipFile(`float values must lie in [0, 1]; this array ranges from ${min} to ${max}`)
  return values
}
