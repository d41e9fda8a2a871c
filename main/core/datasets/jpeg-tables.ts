// The parts of the JPEG reader (jpeg.ts) that are plain tables and arithmetic: Huffman tables,
// libjpeg's 1×1 inverse DCT, and the EXIF orientation tag.

/** A Huffman table: a 9-bit lookup for short codes, the canonical ranges for the rest */
export interface HuffmanTable {
  /** (length << 8 | symbol), 0 where the code is longer than 9 bits */
  lookup: Uint16Array
  maxCode: Int32Array
  valueOffset: Int32Array
  symbols: Uint8Array
}

export const lookupBits = 9

export function huffmanTable(counts: Uint8Array, symbols: Uint8Array): HuffmanTable | null {
  const lookup = new Uint16Array(1 << lookupBits)
  const maxCode = new Int32Array(18).fill(-1)
  const valueOffset = new Int32Array(18)
  let code = 0
  let k = 0
  for (let length = 1; length <= 16; length++) {
    valueOffset[length] = k - code
    for (let i = 0; i < counts[length - 1]; i++, k++, code++) {
      if (length <= lookupBits) {
        const shift = lookupBits - length
        lookup.fill((length << 8) | symbols[k], code << shift, (code + 1) << shift)
      }
    }
    if (code >= 1 << length && counts[length - 1] > 0) return null // libjpeg: no all-ones code
    maxCode[length] = code - 1
    code <<= 1
  }
  return { lookup, maxCode, valueOffset, symbols }
}

/**
 * libjpeg's 1×1 inverse DCT of a dequantised DC value: descaled by 8, then its range-limit
 * table, which clamps values a little out of range and wraps those far out (damaged data).
 */
export function idct1x1(dc: number): number {
  const k = ((dc + 4) >> 3) & 1023
  return k < 128 ? k + 128 : k < 512 ? 255 : k < 896 ? 0 : k - 896
}

export function text(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length))
}

export function isExif(segment: Uint8Array): boolean {
  return text(segment, 0, 6) === 'Exif\0\0'
}

/** The EXIF orientation (1 when upright or absent), or 0 when the EXIF data cannot be read. */
export function exifOrientation(segment: Uint8Array): number {
  const tiff = segment.subarray(6)
  if (tiff.length < 8) return 0
  const little = tiff[0] === 0x49
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength)
  const u16 = (at: number) => view.getUint16(at, little)
  const ifd = view.getUint32(4, little)
  if (ifd + 2 > tiff.length) return 0
  const entries = u16(ifd)
  for (let i = 0; i < entries; i++) {
    const at = ifd + 2 + 12 * i
    if (at + 12 > tiff.length) return 0
    if (u16(at) === 0x0112) return u16(at + 8)
  }
  return 1
}
