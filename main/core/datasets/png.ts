// Reads the common kind of PNG (8-bit grey, RGB, palette, grey + alpha or RGBA, not interlaced,
// no ICC profile) without libvips: zlib inflates, and each row is unfiltered, flattened,
// greyed and box-shrunk as it comes. Anything else, or anything odd, is left to sharp (null),
// which then gives the same pixels or the same reason for refusing the file as before.
import { crc32, inflateSync } from 'node:zlib'
import { luma } from './finish'
import type { PixelOptions } from './decode'
import { reduceTarget, RowReducer } from './resample'
import { SkipFile, tooManyPixelsReason } from './reasons'
import type { ResizedPixels } from './finish'

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && signature.every((b, i) => bytes[i] === b)
}

interface PngLayout {
  width: number
  height: number
  colourType: 0 | 2 | 3 | 4 | 6
  palette: Uint8Array | null
  /** palette alpha (tRNS), shorter than the palette or absent */
  paletteAlpha: Uint8Array | null
  compressed: Buffer
}

/** Samples per pixel for each colour type */
const samples = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const

/**
 * The item's pixels before padding/cropping, or null when sharp should read this file.
 * Throws SkipFile for an image above the pixel limit, as the sharp path does.
 */
export function reducePng(
  bytes: Buffer,
  options: PixelOptions,
  grey: boolean,
): ResizedPixels | null {
  const layout = readChunks(bytes, options.maxPixels)
  if (!layout) return null
  const { width, height, colourType } = layout
  const target = reduceTarget(width, height, options.size, options.fit)
  if (target.shrink < 1) return null // enlarging: sharp's kernel does it
  const rowBytes = width * samples[colourType]
  const expected = height * (rowBytes + 1)
  let raw: Buffer
  try {
    // in one output chunk (the default 16 kB chunks cost ~25% more); synchronous, since large
    // imports decode in worker threads (decode-pool.ts), and async measured no cheaper
    raw = inflateSync(layout.compressed, {
      chunkSize: Math.max(64, expected + 1),
      maxOutputLength: expected + 1,
    })
  } catch {
    return null
  }
  if (raw.length !== expected) return null

  const colour = colourType !== 0 && colourType !== 4
  const channels = colour && !(grey && colourType === 3) ? 3 : 1
  const reducer = new RowReducer(width, height, channels, grey && channels === 3, target)
  // grey and RGB rows are summed as they are; palette and alpha rows are converted first
  const toRow =
    colourType === 0 || colourType === 2 ? null : rowConverter(layout, channels, options)
  const row = new Float32Array(width * channels)
  const bpp = samples[colourType]
  for (let y = 0; y < height; y++) {
    const start = y * (rowBytes + 1) + 1
    if (!unfilter(raw, start, rowBytes, bpp, y === 0)) return null
    if (toRow) {
      toRow(raw, start, row)
      reducer.addRow(row)
    } else reducer.addRow(raw, start)
  }
  return reducer.finish()
}

function readChunks(bytes: Buffer, maxPixels: number): PngLayout | null {
  if (!isPng(bytes) || bytes.length < 33) return null
  let offset = 8
  let layout: Omit<PngLayout, 'compressed'> | null = null
  const idat: Buffer[] = []
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset)
    const type = bytes.toString('latin1', offset + 4, offset + 8)
    const end = offset + 8 + length
    if (end + 4 > bytes.length) return null
    const data = bytes.subarray(offset + 8, end)
    if (crc32(bytes.subarray(offset + 4, end)) !== bytes.readUInt32BE(end)) return null
    offset = end + 4
    if (type === 'IHDR') {
      if (layout || length !== 13) return null
      const width = data.readUInt32BE(0)
      const height = data.readUInt32BE(4)
      if (width === 0 || height === 0) return null
      if (width * height > maxPixels)
        throw new SkipFile(tooManyPixelsReason(width, height, maxPixels))
      const [depth, colourType, compression, filter, interlace] = data.subarray(8, 13)
      if (depth !== 8 || !(colourType in samples)) return null
      if (compression !== 0 || filter !== 0 || interlace !== 0) return null
      layout = {
        width,
        height,
        colourType: colourType as PngLayout['colourType'],
        palette: null,
        paletteAlpha: null,
      }
    } else if (!layout) return null
    else if (type === 'PLTE') layout.palette = checkPalette(data)
    else if (type === 'tRNS') {
      // a transparent colour key is rare: sharp turns it into alpha
      if (layout.colourType !== 3) return null
      layout.paletteAlpha = data
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'iCCP' || type === 'eXIf')
      return null // colour profile or orientation
    else if (type === 'IEND') {
      if (idat.length === 0) return null
      if (layout.colourType === 3 && !layout.palette) return null
      return { ...layout, compressed: idat.length === 1 ? idat[0] : Buffer.concat(idat) }
    }
  }
  return null
}

/** A palette of 1 to 256 RGB entries, or SkipFile saying what is wrong with it. */
function checkPalette(data: Buffer): Buffer {
  if (data.length % 3 !== 0 || data.length === 0)
    throw new SkipFile(
      `the PNG's palette is ${data.length} bytes long, not a whole number of colours: the file is damaged`,
    )
  if (data.length > 256 * 3)
    throw new SkipFile(
      `the PNG's palette has ${data.length / 3} colours, more than the 256 a PNG may have: the file is damaged`,
    )
  return data
}

/** Undoes a row's PNG filter in place; false for an unknown filter type. */
function unfilter(
  raw: Uint8Array,
  start: number,
  rowBytes: number,
  bpp: number,
  firstRow: boolean,
): boolean {
  const type = raw[start - 1]
  const end = start + rowBytes
  switch (type) {
    case 0:
      return true
    case 1:
      for (let i = start + bpp; i < end; i++) raw[i] = (raw[i] + raw[i - bpp]) & 255
      return true
    case 2:
      if (!firstRow)
        for (let i = start; i < end; i++) raw[i] = (raw[i] + raw[i - rowBytes - 1]) & 255
      return true
    case 3:
      for (let i = start; i < end; i++) {
        const left = i - bpp >= start ? raw[i - bpp] : 0
        const above = firstRow ? 0 : raw[i - rowBytes - 1]
        raw[i] = (raw[i] + ((left + above) >> 1)) & 255
      }
      return true
    case 4:
      for (let i = start; i < end; i++) {
        const a = i - bpp >= start ? raw[i - bpp] : 0
        const b = firstRow ? 0 : raw[i - rowBytes - 1]
        const c = firstRow || i - bpp < start ? 0 : raw[i - bpp - rowBytes - 1]
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        raw[i] = (raw[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255
      }
      return true
    default:
      return false
  }
}

type RowConverter = (raw: Uint8Array, start: number, row: Float32Array) => void

/**
 * Turns one unfiltered palette or alpha row into 1 or 3 values per pixel, alpha flattened onto
 * the background as finishItem does it.
 */
function rowConverter(layout: PngLayout, channels: 1 | 3, options: PixelOptions): RowConverter {
  const { width, colourType } = layout
  const background = options.background === 'white' ? 255 : 0
  const flat = (value: number, alpha: number) => (value * alpha + (255 - alpha) * background) / 255
  if (colourType === 3) {
    // the palette, flattened (and greyed) once: a row is then a lookup per pixel
    const { palette, paletteAlpha } = layout
    const entries = new Float32Array(256 * channels)
    for (let p = 0; p < palette!.length / 3; p++) {
      const alpha = paletteAlpha && p < paletteAlpha.length ? paletteAlpha[p] : 255
      const [r, g, b] = [0, 1, 2].map((c) => flat(palette![p * 3 + c], alpha))
      if (channels === 1) entries[p] = luma(r, g, b)
      else entries.set([r, g, b], p * 3)
    }
    if (channels === 1)
      return (raw, start, row) => {
        for (let x = 0; x < width; x++) row[x] = entries[raw[start + x]]
      }
    return (raw, start, row) => {
      for (let x = 0; x < width; x++) {
        const p = raw[start + x] * 3
        row[x * 3] = entries[p]
        row[x * 3 + 1] = entries[p + 1]
        row[x * 3 + 2] = entries[p + 2]
      }
    }
  }
  if (colourType === 4)
    return (raw, start, row) => {
      for (let x = 0, i = start; x < width; x++, i += 2) row[x] = flat(raw[i], raw[i + 1])
    }
  return (raw, start, row) => {
    for (let x = 0, i = start; x < width; x++, i += 4) {
      const alpha = raw[i + 3]
      row[x * 3] = flat(raw[i], alpha)
      row[x * 3 + 1] = flat(raw[i + 1], alpha)
      row[x * 3 + 2] = flat(raw[i + 2], alpha)
    }
  }
}
