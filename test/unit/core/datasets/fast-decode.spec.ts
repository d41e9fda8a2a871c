// The PNG (png.ts) and JPEG (jpeg.ts) readers that skip libvips must give what sharp's pipeline
// gives, within a grey level or two on average, and leave to sharp whatever they do not read.
import sharp, { type JpegOptions } from 'sharp'
import { describe, expect, it } from 'vitest'
import {
  decodeImage,
  decodeWithSharp,
  type PixelOptions,
} from '../../../../main/core/datasets/decode'
import { finishItem } from '../../../../main/core/datasets/finish'
import { reduceJpegGrey } from '../../../../main/core/datasets/jpeg'
import { reducePng } from '../../../../main/core/datasets/png'
import { SkipFile } from '../../../../main/core/datasets/reasons'
import { rgbPixels } from '../../../fixtures/images'
import { baseOptions } from './workspace'

/** Gradients and a disc: smooth areas and sharp edges. */
const picture = (width: number, height: number) =>
  rgbPixels(width, height, (x, y) => {
    const inside = (x - width / 2) ** 2 + (y - height / 3) ** 2 < (Math.min(width, height) / 4) ** 2
    return inside ? [240, 200, 30] : [(x * 255) / width, (y * 255) / height, 90]
  })

const raw = (width: number, height: number, channels: 3 | 4 = 3) => {
  const rgb = picture(width, height)
  if (channels === 3) return sharp(rgb, { raw: { width, height, channels } })
  const rgba = Buffer.alloc(width * height * 4)
  for (let i = 0; i < width * height; i++) {
    rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4)
    rgba[i * 4 + 3] = i % width < width / 2 ? 0 : 255 // left half transparent
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } })
}

/** What sharp's own pipeline gives (decode.ts's fallback). */
async function bySharp(bytes: Buffer, options: PixelOptions): Promise<Uint8Array> {
  const { data, info } = await sharp(bytes)
    .resize(options.size, options.size, { fit: options.fit === 'pad' ? 'inside' : 'outside' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return finishItem(
    { data, width: info.width, height: info.height, channels: info.channels },
    {
      size: options.size,
      outputChannels: options.channels === 'rgb' ? 3 : 1,
      background: options.background === 'white' ? 255 : 0,
    },
  )
}

function meanDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length)
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

const options = (more: Partial<PixelOptions>): PixelOptions => ({
  ...baseOptions,
  size: 28,
  ...more,
})

describe('the PNG reader', () => {
  const kinds = {
    rgb: () => raw(300, 170).png(),
    rgba: () => raw(170, 300, 4).png(),
    grey: () => raw(200, 90).greyscale().png(),
    'grey + alpha': () => raw(90, 200, 4).greyscale().png(),
    palette: () => raw(250, 120).png({ palette: true, colours: 64 }),
    'palette + alpha': () => raw(120, 250, 4).png({ palette: true, colours: 64 }),
    'adaptive filters': () => raw(333, 97).png({ adaptiveFiltering: true }),
  }
  it.each(Object.keys(kinds))(
    'reads %s PNG as sharp does, in grey and RGB, padded and cropped',
    async (kind) => {
      const bytes = await kinds[kind as keyof typeof kinds]().toBuffer()
      for (const channels of ['grey', 'rgb'] as const)
        for (const fit of ['pad', 'crop'] as const)
          for (const background of ['black', 'white'] as const) {
            const o = options({ channels, fit, background })
            expect(reducePng(bytes, o, channels === 'grey')).not.toBeNull()
            const ours = await decodeImage(bytes, '.png', o)
            expect(meanDifference(ours, await bySharp(bytes, o))).toBeLessThan(2)
          }
    },
  )

  it('leaves interlaced, 16-bit, enlarged and damaged PNGs to sharp', async () => {
    const o = options({})
    expect(reducePng(await raw(100, 100).png({ progressive: true }).toBuffer(), o, true)).toBeNull()
    expect(
      reducePng(await raw(100, 100).png().toColourspace('rgb16').toBuffer(), o, true),
    ).toBeNull()
    expect(reducePng(await raw(10, 10).png().toBuffer(), o, true)).toBeNull()
    const damaged = await raw(100, 100).png().toBuffer()
    damaged[damaged.length - 30] ^= 0xff // inside the last IDAT: its CRC no longer matches
    expect(reducePng(damaged, o, true)).toBeNull()
    await expect(decodeImage(damaged, '.png', o)).rejects.toThrow(SkipFile)
  })
})

describe('the 1/8-scale JPEG reader', () => {
  it.each([
    ['4:2:0', { quality: 85 }],
    ['4:4:4', { quality: 90, chromaSubsampling: '4:4:4' }],
    ['grey', { quality: 80 }],
  ] as const)('reads a large %s JPEG for a grey item as sharp does', async (kind, jpeg) => {
    let image = raw(333, 517)
    if (kind === 'grey') image = image.greyscale()
    const bytes = await image.jpeg(jpeg as JpegOptions).toBuffer()
    for (const fit of ['pad', 'crop'] as const) {
      const o = options({ fit })
      expect(reduceJpegGrey(bytes, o)).not.toBeNull()
      const ours = await decodeImage(bytes, '.jpg', o)
      expect(meanDifference(ours, await bySharp(bytes, o))).toBeLessThan(2)
    }
  })

  it('leaves small, progressive, rotated and RGB-item JPEGs to sharp', async () => {
    const o = options({})
    expect(reduceJpegGrey(await raw(200, 200).jpeg().toBuffer(), o)).toBeNull() // shrink < 9
    expect(reduceJpegGrey(await raw(400, 400).jpeg({ progressive: true }).toBuffer(), o)).toBeNull()
    const rotated = await raw(400, 300).jpeg().withMetadata({ orientation: 6 }).toBuffer()
    expect(reduceJpegGrey(rotated, o)).toBeNull()
    expect((await decodeImage(rotated, '.jpg', o)).length).toBe(28 * 28)
  })

  it('gives the same reason as sharp for a truncated large JPEG', async () => {
    const whole = await raw(400, 400).jpeg().toBuffer()
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6))
    expect(reduceJpegGrey(cut, options({}))).toBeNull()
    await expect(decodeImage(cut, '.jpg', options({}))).rejects.toThrow(/truncated or damaged/)
  })

  it('refuses a JPEG above the pixel limit by its header', async () => {
    const bytes = await raw(400, 300).jpeg().toBuffer()
    expect(() => reduceJpegGrey(bytes, options({ maxPixels: 1000 }))).toThrow(
      'image is 400×300 pixels, above the 1,000-pixel limit',
    )
  })

  it('leaves a photo above a megapixel to sharp, where libjpeg measured faster', async () => {
    // grain everywhere, so that the entropy-coded data is long, as in a photo
    const grain = rgbPixels(1200, 900, (x, y) => [(x * 7 + y * 13) % 97, (x * y) % 89, 128])
    const bytes = await sharp(grain, { raw: { width: 1200, height: 900, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer()
    const o = options({})
    const byHand = reduceJpegGrey(bytes, o)
    expect(byHand).not.toBeNull() // the hand reader could read it…
    const sharps = await decodeWithSharp(bytes, o)
    expect(finishItem(byHand!, { size: 28, outputChannels: 1, background: 0 })).not.toEqual(sharps)
    expect(await decodeImage(bytes, '.jpg', o)).toEqual(sharps) // …but sharp does
  })
})
