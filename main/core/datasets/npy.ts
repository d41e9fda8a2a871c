// NumPy .npy arrays. The format is small enough to parse by hand
// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): "\x93NUMPY", a
// version (1.0, 2.0 or 3.0), a little-endian header length (uint16 in 1.0, uint32 after), and a
// Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }.
import { openRegular, readRegularFile } from './files'
import { SkipFile } from './reasons'

export type NpyType = 'u1' | 'f4' | 'f8'

export interface NpyHeader {
  type: NpyType
  /** N×H×W or N×H×W×C */
  shape: number[]
  dataOffset: number
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

export function parseNpyHeader(bytes: Buffer): NpyHeader {
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
  const [byteOrder, type] = [descr.slice(0, descr.length - 2), descr.slice(-2)]
  if (!['u1', 'f4', 'f8'].includes(type) || !['<', '|', '=', ''].includes(byteOrder)) {
    if (byteOrder === '>')
      throw new SkipFile('big-endian NumPy arrays are not supported: save it little-endian')
    throw unsupportedType(descr)
  }
  if (type !== 'u1' && byteOrder === '|') throw unsupportedType(descr)
  const channels = shape[3]
  if (!(shape.length === 3 || (shape.length === 4 && [1, 3, 4].includes(channels))))
    throw new SkipFile(
      `the array's shape is (${shape.join(', ')}): expected N×H×W, or N×H×W×C with C = 1, 3 or 4`,
    )
  if (!shape.every((n) => Number.isInteger(n) && n >= 0))
    throw new SkipFile('the file is truncated or damaged (its NumPy shape cannot be read)')
  if (shape.includes(0))
    throw new SkipFile(`the array holds no images: its shape is (${shape.join(', ')})`)
  return { type: type as NpyType, shape, dataOffset }
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
  const header = parseNpyHeader(bytes)
  checkSize(header, bytes.length)
  const [count, height, width, channels = 1] = header.shape
  const length = count * height * width * channels
  const data = bytes.subarray(header.dataOffset)
  return {
    header,
    values: toBytes(data, header.type, length),
    count,
    height,
    width,
    channels: channels as 1 | 3 | 4,
  }
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
