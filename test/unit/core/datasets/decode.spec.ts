import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodeImage, type PixelOptions } from '../../../../main/core/datasets/decode'
import { SkipFile } from '../../../../main/core/datasets/reasons'
import * as images from '../../../fixtures/images'
import { tempDir } from '../../../helpers/temp'
import { baseOptions, mean } from './workspace'

async function decode(path: string, options: Partial<PixelOptions> = {}): Promise<Uint8Array> {
  return decodeImage(readFileSync(path), extname(path), { ...baseOptions, ...options })
}

async function reasonFor(path: string, options: Partial<PixelOptions> = {}): Promise<string> {
  const error = await decode(path, options).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SkipFile)
  return (error as SkipFile).reason
}

/** Pixel (x, y) of a grey size × size item. */
const at = (pixels: Uint8Array, size: number, x: number, y: number) => pixels[y * size + x]
/** Mean of a square region of a grey item. */
function region(pixels: Uint8Array, size: number, x0: number, y0: number, side: number): number {
  const values: number[] = []
  for (let y = y0; y < y0 + side; y++)
    for (let x = x0; x < x0 + side; x++) values.push(at(pixels, size, x, y))
  return mean(values)
}

describe('decodeImage', () => {
  it.each(['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif'] as const)(
    'decodes %s to size × size, in grey and in RGB',
    async (format) => {
      const dir = tempDir()
      const path = await images.writeImage(
        dir,
        `a.${format}`,
        13,
        9,
        images.solid([200, 200, 200]),
        format,
      )
      const grey = await decode(path, { size: 8, channels: 'grey', fit: 'crop' })
      const rgb = await decode(path, { size: 8, channels: 'rgb', fit: 'crop' })
      expect(grey.length).toBe(8 * 8)
      expect(rgb.length).toBe(8 * 8 * 3)
      expect(Math.abs(mean(grey) - 200)).toBeLessThan(6)
    },
  )

  it('reads BMP, which this build of libvips cannot, with the colour channels in the right order', async () => {
    const dir = tempDir()
    const path = images.writeBmp(dir, 'a.bmp', 5, 3, images.solid([10, 200, 30]))
    await expect(sharp(readFileSync(path)).metadata()).rejects.toThrow(/unsupported image format/)
    const rgb = await decode(path, { size: 4, channels: 'rgb', fit: 'crop' })
    expect(rgb.length).toBe(4 * 4 * 3)
    expect([...rgb.subarray(0, 3)]).toEqual([10, 200, 30])
  })

  it('renders SVG upright: white top half of a 10×20 drawing stays on top', async () => {
    const dir = tempDir()
    const pixels = await decode(await images.writeSvg(dir, 'a.svg'), { size: 16, fit: 'crop' })
    expect(region(pixels, 16, 0, 0, 8)).toBeGreaterThan(240)
    expect(region(pixels, 16, 8, 10, 6)).toBeLessThan(15)
  })

  it('pads to a square with the background (fit: pad) or crops the centre (fit: crop)', async () => {
    const dir = tempDir()
    // 16×8: black, white, black vertical bands of 4, 8 and 4 columns
    const path = await images.writeImage(dir, 'wide.png', 16, 8, (x) =>
      x >= 4 && x < 12 ? [255, 255, 255] : [0, 0, 0],
    )
    const padded = await decode(path, { size: 8, fit: 'pad', background: 'white' })
    // scaled to 8×4, centred: rows 0–1 and 6–7 are padding
    expect(region(padded, 8, 0, 0, 2)).toBe(255)
    expect(at(padded, 8, 4, 7)).toBe(255)
    expect(at(padded, 8, 0, 3)).toBeLessThan(40) // left black band, inside the picture
    expect(at(padded, 8, 3, 3)).toBeGreaterThan(215)
    const cropped = await decode(path, { size: 8, fit: 'crop', background: 'black' })
    // height already 8: the centre 8 columns are all white
    expect(Math.min(...cropped)).toBe(255)
  })

  it('flattens alpha onto black or white', async () => {
    const dir = tempDir()
    const path = images.writeGreyAlphaPng(dir, 'ga.png', 8, 100) // left half transparent
    const onBlack = await decode(path, { size: 8, background: 'black' })
    const onWhite = await decode(path, { size: 8, background: 'white' })
    expect(region(onBlack, 8, 0, 0, 3)).toBe(0)
    expect(region(onWhite, 8, 0, 0, 3)).toBe(255)
    expect(region(onBlack, 8, 5, 5, 3)).toBe(100)
    expect(region(onWhite, 8, 5, 5, 3)).toBe(100)
  })

  it('reduces 16-bit input to 8 bits by scaling, not by dropping the high byte', async () => {
    const dir = tempDir()
    const path = await images.write16BitPng(dir, 'deep.png', 40_000) // 40000 / 257 ≈ 155.6
    const rgb = await decode(path, { size: 4, channels: 'rgb' })
    expect(rgb.length).toBe(4 * 4 * 3)
    for (const v of rgb) expect(Math.abs(v - 155.6)).toBeLessThanOrEqual(1)
    const grey = await decode(path, { size: 4, channels: 'grey' })
    expect(grey.length).toBe(16)
    for (const v of grey) expect(Math.abs(v - 155.6)).toBeLessThanOrEqual(1)
  })

  it('converts a CMYK JPEG to RGB colours', async () => {
    const dir = tempDir()
    const path = await images.writeCmykJpeg(dir, 'cmyk.jpg', [255, 0, 0])
    expect((await sharp(readFileSync(path)).metadata()).space).toBe('cmyk')
    const [r, g, b] = await decode(path, { size: 4, channels: 'rgb' })
    expect(r).toBeGreaterThan(180)
    expect(g).toBeLessThan(50)
    expect(b).toBeLessThan(50)
    const [grey] = await decode(path, { size: 4, channels: 'grey' })
    expect(grey).toBeGreaterThan(40) // red's luminance, not the ink of a raw CMYK channel
    expect(grey).toBeLessThan(160)
  })

  it('keeps the first frame of an animated GIF (red), not the second (blue)', async () => {
    const dir = tempDir()
    const path = await images.writeAnimatedGif(dir, 'anim.gif')
    expect((await sharp(readFileSync(path)).metadata()).pages).toBe(2)
    const [r, g, b] = await decode(path, { size: 4, channels: 'rgb' })
    expect(r).toBeGreaterThan(200)
    expect(g).toBeLessThan(50)
    expect(b).toBeLessThan(50)
  })

  it('applies EXIF orientation 6: the stored top-left corner ends at the top right', async () => {
    const dir = tempDir()
    const path = await images.writeRotatedJpeg(dir, 'sideways.jpg', 16)
    const pixels = await decode(path, { size: 16 })
    expect(region(pixels, 16, 10, 1, 5)).toBeGreaterThan(200) // top right
    expect(region(pixels, 16, 1, 1, 5)).toBeLessThan(50) // top left
    expect(region(pixels, 16, 1, 10, 5)).toBeLessThan(50)
    expect(region(pixels, 16, 10, 10, 5)).toBeLessThan(50)
  })

  it('gives one channel for grey and three for RGB, from the same colour image', async () => {
    const dir = tempDir()
    const path = await images.writeImage(dir, 'c.png', 6, 6, images.solid([200, 50, 10]))
    const grey = await decode(path, { size: 6, channels: 'grey' })
    const rgb = await decode(path, { size: 6, channels: 'rgb' })
    expect(grey.length).toBe(36)
    expect([...rgb.subarray(0, 3)]).toEqual([200, 50, 10])
    expect(grey[0]).toBeGreaterThan(50)
    expect(grey[0]).toBeLessThan(200)
  })

  it('refuses a header claiming 60000×60000 pixels before decoding anything', async () => {
    const dir = tempDir()
    const path = await images.writeHugeHeaderPng(dir, 'bomb.png', 60_000, 60_000)
    expect(await reasonFor(path)).toBe('image is 60000×60000 pixels, above the 100-megapixel limit')
    const small = await images.writeImage(dir, 'small.png', 20, 20)
    expect(await reasonFor(small, { maxPixels: 399 })).toBe(
      'image is 20×20 pixels, above the 399-pixel limit',
    )
  })

  it('explains files it cannot read', async () => {
    const dir = tempDir()
    expect(await reasonFor(await images.writeTruncated(dir, 'cut.png', 'png'))).toBe(
      'the file is truncated or damaged',
    )
    expect(await reasonFor(await images.writeTruncated(dir, 'cut.jpg', 'jpeg'))).toBe(
      'the file is truncated or damaged',
    )
    expect(await reasonFor(images.writeText(dir, 'note.png'))).toBe(
      'not an image: the content is not a format we can read (named .png)',
    )
    expect(await reasonFor(images.writeText(dir, 'empty.png', ''))).toBe('the file is empty')
    const bmpHeaderOnly = images.writeBmp(dir, 'cut.bmp', 40, 40, images.solid([1, 2, 3]))
    const bytes = readFileSync(bmpHeaderOnly).subarray(0, 100)
    await expect(decodeImage(bytes, '.bmp', baseOptions)).rejects.toThrow(
      'the file is truncated or damaged',
    )
  })
})
