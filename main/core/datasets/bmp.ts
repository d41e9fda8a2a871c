// libvips in sharp's prebuilt binaries cannot read BMP, so BMP goes through bmp-js (pure JS,
// uncompressed and RLE BMPs) and its pixels are then fed to sharp as raw input.
import bmp from 'bmp-js'
import { SkipFile, tooManyPixelsReason } from './reasons'

// Sizes of the BITMAPINFOHEADER family, the headers bmp-js understands.
const infoHeaderSizes = new Set([40, 52, 56, 108, 124])
const supportedBitDepths = new Set([1, 4, 8, 15, 16, 24, 32])

export function isBmp(bytes: Buffer): boolean {
  return (
    bytes.length >= 18 &&
    bytes[0] === 0x42 &&
    bytes[1] === 0x4d &&
    infoHeaderSizes.has(bytes.readUInt32LE(14))
  )
}

export interface BmpPixels {
  width: number
  height: number
  channels: 3 | 4
  pixels: Buffer
}

export function decodeBmp(bytes: Buffer, maxPixels: number): BmpPixels {
  if (bytes.length < 54) throw new SkipFile('the file is truncated or damaged')
  const width = bytes.readInt32LE(18)
  const height = Math.abs(bytes.readInt32LE(22))
  const bitDepth = bytes.readUInt16LE(28)
  if (width <= 0 || height === 0) throw new SkipFile('the file is truncated or damaged')
  if (width * height > maxPixels) throw new SkipFile(tooManyPixelsReason(width, height, maxPixels))
  if (!supportedBitDepths.has(bitDepth))
    throw new SkipFile(`BMP images with ${bitDepth} bits per pixel are not supported`)
  let decoded
  try {
    decoded = bmp.decode(bytes)
  } catch {
    // bmp-js reads past the end of a short file with a RangeError
    throw new SkipFile('the file is truncated or damaged')
  }
  const abgr = decoded.data
  const count = width * height
  // 24-bit BMPs have no alpha (bmp-js writes 0 there); 32-bit ones often leave it all 0 too.
  let hasAlpha = false
  if (decoded.bitPP === 32)
    for (let i = 0; i < count && !hasAlpha; i++) hasAlpha = abgr[i * 4] !== 0
  const channels = hasAlpha ? 4 : 3
  const pixels = Buffer.alloc(count * channels)
  for (let i = 0, o = 0; i < count; i++, o += channels) {
    pixels[o] = abgr[i * 4 + 3]
    pixels[o + 1] = abgr[i * 4 + 2]
    pixels[o + 2] = abgr[i * 4 + 1]
    if (hasAlpha) pixels[o + 3] = abgr[i * 4]
  }
  return { width, height, channels, pixels }
}
