// Turns an image file's bytes, or raw pixels from an array file, into one item's pixels:
// size × size, grey (1 channel) or RGB (3), row-major HWC uint8.
import sharp, { type Sharp } from 'sharp'
import type { ImportOptions } from '../shared/import-options'
import { decodeBmp, isBmp } from './bmp'
import { finishItem, type FinishOptions, type ResizedPixels } from './finish'
import { isJpeg, reduceJpegGrey } from './jpeg'
import { isPng, reducePng } from './png'
import { decodeReason, SkipFile, tooManyPixelsReason } from './reasons'

export type PixelOptions = Pick<
  ImportOptions,
  'size' | 'channels' | 'fit' | 'background' | 'maxPixels'
>

/**
 * libvips keeps recent operations in a cache keyed by their inputs. An import never asks for
 * the same operation twice, so the cache only costs: turning it off measured about a third
 * faster on 10,000 small PNG/JPEG files (and it is process-wide, hence done once, here).
 */
export function prepareDecoder(): void {
  sharp.cache(false)
}

export function channelCount(options: Pick<ImportOptions, 'channels'>): 1 | 3 {
  return options.channels === 'rgb' ? 3 : 1
}

/** Decodes a whole image file; throws SkipFile with the reason when it cannot. */
export async function decodeImage(
  bytes: Buffer,
  ext: string,
  options: PixelOptions,
): Promise<Uint8Array> {
  if (bytes.length === 0) throw new SkipFile('the file is empty')
  try {
    if (isBmp(bytes)) {
      const bmp = decodeBmp(bytes, options.maxPixels)
      return await fromRaw(bmp.pixels, bmp.width, bmp.height, bmp.channels, options)
    }
    const fast = reduceWithoutSharp(bytes, options)
    if (fast) return finishItem(fast, finishOptions(options))
    return await decodeWithSharp(bytes, options)
  } catch (error) {
    throw new SkipFile(decodeReason(error, ext))
  }
}

/**
 * The largest JPEG the hand reader takes. It walks every Huffman code in JavaScript, libjpeg in
 * C, so libvips' fixed cost is paid back on large photos. `npm run bench -- import`, section (c),
 * textured photos at quality 90 → 28×28 grey, sharp's time / the hand reader's, on a shared
 * 2-core VM: 320×240 4.2×, 480×360 1.6×, 640×480 1.6×, 1024×768 1.1×, 1920×1080 0.61×,
 * 4000×3000 0.42× (smooth images: 320×240 3.3×, 640×480 2.1×). The crossing lies between 0.8
 * and 2 megapixels.
 */
export const handJpegMaxPixels = 1_000_000

/**
 * Plain 8-bit PNGs, and baseline JPEGs of up to a megapixel large enough to be read at 1/8 for
 * a grey item, are read here without libvips, whose fixed cost per pipeline (~0.6 ms) is
 * more than decoding a small image. Null when sharp should read the file.
 */
function reduceWithoutSharp(bytes: Buffer, options: PixelOptions): ResizedPixels | null {
  const grey = options.channels !== 'rgb'
  if (isPng(bytes)) return reducePng(bytes, options, grey)
  if (grey && isJpeg(bytes)) return reduceJpegGrey(bytes, options, handJpegMaxPixels)
  return null
}

/** Everything libvips reads: one pipeline, the header-only pass only for SVG and bombs. */
export async function decodeWithSharp(bytes: Buffer, options: PixelOptions): Promise<Uint8Array> {
  // first frame of an animation, first page of a multi-page TIFF
  let image = sharp(bytes, { limitInputPixels: options.maxPixels, pages: 1 })
  // The header alone tells the size: decompression bombs are refused before any decoding.
  const meta = await image.metadata().catch(async (error: unknown) => {
    if (!/exceeds pixel limit/i.test(String(error))) throw error
    const { width = 0, height = 0 } = await sharp(bytes, { limitInputPixels: false }).metadata()
    throw new SkipFile(tooManyPixelsReason(width, height, options.maxPixels))
  })
  const [width, height] = [meta.width ?? 0, meta.height ?? 0]
  if (width * height > options.maxPixels)
    throw new SkipFile(tooManyPixelsReason(width, height, options.maxPixels))
  // Vector images are rendered at the density that gives the target size, not at 72 dpi.
  const density = meta.format === 'svg' ? svgDensity(width, height, options.size) : undefined
  if (density) image = sharp(bytes, { limitInputPixels: options.maxPixels, density })
  const facts = {
    orientation: meta.orientation,
    // 16-bit, CMYK, Lab… become 8-bit sRGB or grey; 8-bit sRGB and grey need no step
    convertTo:
      meta.depth === 'uchar' && (meta.space === 'srgb' || meta.space === 'b-w')
        ? undefined
        : meta.space === 'b-w' || meta.space === 'grey16'
          ? ('b-w' as const)
          : ('srgb' as const),
  }
  return await toItemPixels(image, facts, options)
}

function finishOptions(options: PixelOptions): FinishOptions {
  return {
    size: options.size,
    outputChannels: channelCount(options),
    background: options.background === 'white' ? 255 : 0,
  }
}

/**
 * Raw pixels (HWC uint8, 1 to 4 channels) to an item's pixels. 1 channel is grey, 2 grey+alpha,
 * 3 RGB, 4 RGBA.
 */
export async function fromRaw(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  options: PixelOptions,
): Promise<Uint8Array> {
  return toItemPixels(sharp(pixels, { raw: { width, height, channels } }), {}, options)
}

/** What the header says about an input, so that only the steps it needs are run. */
interface InputFacts {
  /** EXIF orientation, 1 (or absent) when upright */
  orientation?: number
  convertTo?: 'srgb' | 'b-w'
}

async function toItemPixels(
  image: Sharp,
  facts: InputFacts,
  options: PixelOptions,
): Promise<Uint8Array> {
  // Each libvips operation has a fixed cost that dominates on small images, so sharp does only
  // what needs it (orientation, colour conversion, resampling) and finishItem does the rest.
  if ((facts.orientation ?? 1) > 1) image = image.rotate()
  if (facts.convertTo) image = image.toColourspace(facts.convertTo)
  const { data, info } = await image
    .resize(options.size, options.size, { fit: options.fit === 'pad' ? 'inside' : 'outside' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return finishItem(
    { data, width: info.width, height: info.height, channels: info.channels },
    finishOptions(options),
  )
}

/** Density (dpi) at which an SVG of `width`×`height` at 72 dpi covers size × size. */
function svgDensity(width: number, height: number, size: number): number | undefined {
  const shortSide = Math.min(width, height)
  if (shortSide <= 0 || shortSide >= size) return undefined
  return Math.min(2400, Math.ceil((72 * size) / shortSide))
}
