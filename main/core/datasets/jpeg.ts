// Reads a baseline JPEG at 1/8 scale for a grey item without libvips. When an image is at least
// 9 times the item's size, sharp has libjpeg decode it at 1/8 (shrink-on-load), where each 8×8
// block becomes its DC coefficient; and grey is the Y channel, since ITU-R 601 luma of JPEG's
// YCbCr→RGB is Y. So only the Huffman codes are walked, no IDCT, no colour conversion, and the
// fixed cost of a libvips pipeline (~0.6 ms, several times this whole decode) is not paid.
// Anything else (progressive, CMYK, rotated, ICC profile, damaged…) is left to sharp (null).
import type { PixelOptions } from './decode'
import type { ResizedPixels } from './finish'
import { reduceTarget, RowReducer } from './resample'
import {
  exifOrientation,
  type HuffmanTable,
  huffmanTable,
  idct1x1,
  isExif,
  lookupBits,
  text,
} from './jpeg-tables'
import { SkipFile, tooManyPixelsReason } from './reasons'

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
}

interface Component {
  id: number
  h: number
  v: number
  quantTable: number
  dcTable: number
  acTable: number
}

interface Frame {
  width: number
  height: number
  components: Component[]
}

/**
 * The item's pixels before padding/cropping, or null when sharp should read this file.
 * Throws SkipFile for an image above the pixel limit, as the sharp path does.
 */
export function reduceJpegGrey(
  bytes: Uint8Array,
  options: PixelOptions,
  /** larger images are left to sharp (null) */
  maxHandPixels = Infinity,
): ResizedPixels | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dcQuant: number[] = []
  const dcTables: HuffmanTable[] = []
  const acTables: HuffmanTable[] = []
  let frame: Frame | null = null
  let restartInterval = 0
  let adobeTransform = -1
  let offset = 2
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null
    const marker = bytes[offset + 1]
    if (marker === 0xff) {
      offset++
      continue
    }
    const length = view.getUint16(offset + 2)
    const end = offset + 2 + length
    if (length < 2 || end > bytes.length) return null
    const segment = bytes.subarray(offset + 4, end)
    offset = end
    switch (marker) {
      case 0xdb: // quantisation tables: only the DC entry matters at 1/8
        for (let p = 0; p < segment.length;) {
          const sixteenBit = segment[p] >> 4
          const table = segment[p] & 15
          if (table > 3 || sixteenBit > 1 || p + 1 + 64 * (sixteenBit + 1) > segment.length)
            return null
          dcQuant[table] = sixteenBit ? (segment[p + 1] << 8) | segment[p + 2] : segment[p + 1]
          p += 1 + 64 * (sixteenBit + 1)
        }
        break
      case 0xc4: // Huffman tables
        for (let p = 0; p < segment.length;) {
          const kind = segment[p] >> 4
          const table = segment[p] & 15
          if (kind > 1 || table > 3 || p + 17 > segment.length) return null
          const counts = segment.subarray(p + 1, p + 17)
          const total = counts.reduce((sum, n) => sum + n, 0)
          if (p + 17 + total > segment.length) return null
          const symbols = segment.subarray(p + 17, p + 17 + total)
          // libjpeg refuses a DC table with a size category above 15
          if (kind === 0 && symbols.some((symbol) => symbol > 15)) return null
          const built = huffmanTable(counts, symbols)
          if (!built) return null
          ;(kind === 0 ? dcTables : acTables)[table] = built
          p += 17 + total
        }
        break
      case 0xc0: // baseline
      case 0xc1: // extended sequential, Huffman
        if (frame || segment.length < 6 || segment[0] !== 8) return null
        frame = readFrame(segment)
        if (!frame) return null
        if (frame.width * frame.height > options.maxPixels)
          throw new SkipFile(tooManyPixelsReason(frame.width, frame.height, options.maxPixels))
        if (frame.width * frame.height > maxHandPixels) return null
        break
      case 0xdd:
        if (segment.length !== 2) return null
        restartInterval = (segment[0] << 8) | segment[1]
        break
      case 0xe1:
        if (isExif(segment) && exifOrientation(segment) !== 1) return null
        break
      case 0xe2: // an ICC profile: sharp converts colours with it
        if (text(segment, 0, 11) === 'ICC_PROFILE') return null
        break
      case 0xee:
        if (text(segment, 0, 5) === 'Adobe' && segment.length >= 12) adobeTransform = segment[11]
        break
      case 0xda: {
        if (!frame || !fitsFastPath(frame, adobeTransform)) return null
        const target = reduceTarget(frame.width, frame.height, options.size, options.fit)
        // sharp's rule for libjpeg's 1/8: a shrink of 8 or more, but not in [8, 9)
        if (target.shrink < 9) return null
        const scan = readScan(segment, frame, dcTables, acTables, dcQuant)
        if (!scan) return null
        const luma = decodeLumaDc(bytes, end, frame, scan, restartInterval)
        if (!luma) return null
        const reduced = reduceTarget(luma.width, luma.height, options.size, options.fit)
        const reducer = new RowReducer(luma.width, luma.height, 1, false, reduced)
        for (let y = 0; y < luma.height; y++) reducer.addRow(luma.pixels, y * luma.stride)
        return reducer.finish()
      }
      case 0xd9:
        return null
      default:
        // Progressive, lossless, arithmetic-coded: libjpeg through sharp. So is any marker but
        // APPn and COM, which libjpeg skips: it refuses some others, and a damaged file's
        // reasons are sharp's to give.
        if (!(marker >= 0xe0 && marker <= 0xef) && marker !== 0xfe) return null
    }
  }
  return null
}

function readFrame(segment: Uint8Array): Frame | null {
  const height = (segment[1] << 8) | segment[2]
  const width = (segment[3] << 8) | segment[4]
  const count = segment[5]
  if (width === 0 || height === 0 || segment.length !== 6 + 3 * count) return null
  const components: Component[] = []
  for (let i = 0; i < count; i++) {
    const at = 6 + 3 * i
    const h = segment[at + 1] >> 4
    const v = segment[at + 1] & 15
    if (h < 1 || h > 4 || v < 1 || v > 4 || segment[at + 2] > 3) return null
    components.push({ id: segment[at], h, v, quantTable: segment[at + 2], dcTable: 0, acTable: 0 })
  }
  return { width, height, components }
}

/** Grey, or YCbCr whose first component (Y) has the highest sampling; not RGB or CMYK. */
function fitsFastPath(frame: Frame, adobeTransform: number): boolean {
  const { components } = frame
  if (components.length === 1) return true
  if (components.length !== 3 || adobeTransform === 0) return false
  // libjpeg takes components named R, G, B as RGB
  if (components.map((c) => String.fromCharCode(c.id)).join('') === 'RGB') return false
  const [y, ...chroma] = components
  return chroma.every((c) => c.h <= y.h && c.v <= y.v)
}

interface Scan {
  /** frame components in scan order, with their tables */
  components: Component[]
  dc: HuffmanTable[]
  ac: HuffmanTable[]
  lumaQuant: number
  /** the DC quantisation of each scan component */
  quant: number[]
}

function readScan(
  segment: Uint8Array,
  frame: Frame,
  dcTables: HuffmanTable[],
  acTables: HuffmanTable[],
  dcQuant: number[],
): Scan | null {
  const count = segment[0]
  // one scan with every component, all 64 coefficients: baseline sequential
  if (count !== frame.components.length || segment.length !== 4 + 2 * count) return null
  const [start, end, approximation] = segment.subarray(1 + 2 * count, 4 + 2 * count)
  if (start !== 0 || end !== 63 || approximation !== 0) return null
  const components: Component[] = []
  for (let i = 0; i < count; i++) {
    const component = frame.components.find((c) => c.id === segment[1 + 2 * i])
    if (!component || components.includes(component)) return null
    component.dcTable = segment[2 + 2 * i] >> 4
    component.acTable = segment[2 + 2 * i] & 15
    if (!dcTables[component.dcTable] || !acTables[component.acTable]) return null
    components.push(component)
  }
  // libjpeg needs every component's table, though only luma's is used here
  if (frame.components.some((c) => dcQuant[c.quantTable] === undefined)) return null
  const lumaQuant = dcQuant[frame.components[0].quantTable]
  return {
    components,
    dc: components.map((c) => dcTables[c.dcTable]),
    ac: components.map((c) => acTables[c.acTable]),
    lumaQuant,
    quant: components.map((c) => dcQuant[c.quantTable]),
  }
}

interface LumaPlane {
  pixels: Uint8Array
  width: number
  height: number
  stride: number
}

/**
 * Walks the entropy-coded data from `start` and keeps the Y DC values as pixels; null at the
 * first sign of damage (a bad code, data that ends early, bytes left over), which libjpeg would
 * warn about and sharp then refuse.
 */
function decodeLumaDc(
  bytes: Uint8Array,
  start: number,
  frame: Frame,
  scan: Scan,
  restartInterval: number,
): LumaPlane | null {
  const { components, dc, ac, lumaQuant, quant } = scan
  const luma = frame.components[0]
  const maxH = Math.max(...frame.components.map((c) => c.h))
  const maxV = Math.max(...frame.components.map((c) => c.v))
  // libvips' jpegload at shrink 8 rounds the size down (libjpeg's output would round up)
  const width = Math.floor(frame.width / 8)
  const height = Math.floor(frame.height / 8)
  if (width === 0 || height === 0) return null
  // a single-component scan is not interleaved: its blocks cover the image, not MCUs
  const single = components.length === 1
  const mcusX = Math.ceil(frame.width / (8 * (single ? 1 : maxH)))
  const mcusY = Math.ceil(frame.height / (8 * (single ? 1 : maxV)))
  const blocksH = single ? [1] : components.map((c) => c.h)
  const blocksV = single ? [1] : components.map((c) => c.v)
  const stride = mcusX * blocksH[components.indexOf(luma)]
  const pixels = new Uint8Array(stride * mcusY * blocksV[components.indexOf(luma)])
  const predictors = new Int32Array(components.length)

  let pos = start
  let bits = 0 // bit buffer; its low `count` bits are unread
  let count = 0
  let padding = 0 // zero bits fed past the end of the data, at the low end of the buffer
  const fill = () => {
    while (count <= 24) {
      // -1 past the data: at a marker (0xff not followed by a stuffed 0) or the file's end
      let byte = padding === 0 && pos < bytes.length ? bytes[pos] : -1
      if (byte === 0xff) {
        if (bytes[pos + 1] === 0) pos += 2
        else byte = -1
      } else if (byte >= 0) pos++
      if (byte < 0) {
        padding += 8
        byte = 0
      }
      bits = (bits << 8) | byte
      count += 8
    }
  }
  const decode = (table: HuffmanTable): number => {
    if (count < 16) fill()
    const entry = table.lookup[(bits >>> (count - lookupBits)) & ((1 << lookupBits) - 1)]
    if (entry) {
      count -= entry >> 8
      return entry & 255
    }
    for (let length = lookupBits + 1; length <= 16; length++) {
      const code = (bits >>> (count - length)) & ((1 << length) - 1)
      if (code <= table.maxCode[length]) {
        count -= length
        return table.symbols[table.valueOffset[length] + code]
      }
    }
    return -1
  }
  const receive = (size: number): number => {
    if (count < size) fill()
    count -= size
    const value = (bits >>> count) & ((1 << size) - 1)
    return value < 1 << (size - 1) ? value - (1 << size) + 1 : value
  }
  /** Past the last code of a run of MCUs: no padding used, no whole byte left unread. */
  const endOfRun = (expected: number): boolean => {
    if (padding > count || count - padding >= 8) return false
    if (padding === 0 && pos < bytes.length && !(bytes[pos] === 0xff && bytes[pos + 1] !== 0))
      return false
    if (bytes[pos] !== 0xff || bytes[pos + 1] !== expected) return false
    pos += 2
    bits = count = padding = 0
    return true
  }

  /**
   * Grey is Y only while the colour is one RGB can show: libjpeg clamps R, G and B, and the
   * luma of clamped values is not Y. Damaged chroma (or a very saturated block) is sharp's.
   */
  const [cbAt, crAt] = frame.components.slice(1).map((c) => components.indexOf(c))
  // luma blocks per MCU, across and down
  const [lumaH, lumaV] = [stride / mcusX, pixels.length / stride / mcusY]
  const inGamut = (mcu: number): boolean => {
    const cb = idct1x1(predictors[cbAt] * quant[cbAt]) - 128
    const cr = idct1x1(predictors[crAt] * quant[crAt]) - 128
    const x0 = (mcu % mcusX) * lumaH
    const y0 = ((mcu / mcusX) | 0) * lumaV
    for (let y = y0; y < y0 + lumaV; y++)
      for (let x = x0; x < x0 + lumaH; x++) {
        const luma = pixels[y * stride + x]
        if (!inRgb(luma + 1.402 * cr) || !inRgb(luma + 1.772 * cb)) return false
        if (!inRgb(luma - 0.344136 * cb - 0.714136 * cr)) return false
      }
    return true
  }

  const mcus = mcusX * mcusY
  for (let mcu = 0, restarts = 0; mcu < mcus; mcu++) {
    if (restartInterval && mcu > 0 && mcu % restartInterval === 0) {
      if (!endOfRun(0xd0 + (restarts++ & 7))) return null
      predictors.fill(0)
    }
    if (padding > count) return null // ran past the data: libjpeg warns, sharp refuses
    const mx = mcu % mcusX
    const my = (mcu / mcusX) | 0
    if (mcu > 0 && !single && !inGamut(mcu - 1)) return null
    for (let c = 0; c < components.length; c++) {
      const isLuma = components[c] === luma
      for (let v = 0; v < blocksV[c]; v++)
        for (let h = 0; h < blocksH[c]; h++) {
          const size = decode(dc[c])
          if (size < 0 || size > 11) return null
          if (size) predictors[c] += receive(size)
          for (let k = 1; k < 64; k++) {
            const rs = decode(ac[c])
            if (rs < 0) return null
            const skip = rs & 15
            if (skip) {
              k += rs >> 4
              if (count < skip) fill()
              count -= skip
            } else if (rs === 0xf0) k += 15
            else break
          }
          if (isLuma) {
            const x = mx * blocksH[c] + h
            const y = my * blocksV[c] + v
            pixels[y * stride + x] = idct1x1(predictors[c] * lumaQuant)
          }
        }
    }
  }
  if (!single && !inGamut(mcus - 1)) return null
  if (!endOfRun(0xd9)) return null
  return { pixels, width, height, stride }
}

/**
 * Within what RGB can show, give or take: a block's chroma is averaged over 2×2 blocks in
 * 4:2:0, so a bright block beside dark ones can fall a little outside in a sound picture.
 */
const inRgb = (value: number) => value >= -gamutMargin && value <= 255 + gamutMargin
const gamutMargin = 32
