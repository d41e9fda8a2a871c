import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { maxSpriteSide, Resampler, Sprite, spriteLayout } from '../../../../main/core/export/sprite'

/** `count` images of h×w×c bytes, image i filled with i % 251 (a constant per image). */
function constantImages(count: number, size: number): Uint8Array {
  const pixels = new Uint8Array(count * size)
  for (let i = 0; i < count; i++) pixels.fill(i % 251, i * size, (i + 1) * size)
  return pixels
}

/** The PNG's channels and colour type as stored (IHDR: 0 grey, 2 RGB), and its pixels. */
async function decoded(png: Buffer) {
  const { width = 0, height = 0, channels = 0 } = await sharp(png).metadata()
  // libvips widens grey to RGB when it decodes: take one of the equal channels back
  const pixels = channels === 1 ? sharp(png).extractChannel(0) : sharp(png)
  const data = await pixels.raw().toBuffer()
  return { data, width, height, channels, colourType: png[25] }
}

describe('spriteLayout', () => {
  it('keeps the images at their own size when the grid fits', () => {
    expect(spriteLayout(2000, 28, 28)).toEqual({
      count: 2000,
      truncated: false,
      columns: 45,
      rows: 45,
      cellWidth: 28,
      cellHeight: 28,
      width: 45 * 28,
      height: 45 * 28,
    })
    // 10 items: 4 columns, 3 rows
    expect(spriteLayout(10, 6, 5)).toMatchObject({ columns: 4, rows: 3, width: 24, height: 15 })
  })

  it('shrinks thumbnails until ceil(sqrt(N)) of them fit in 8192 px', () => {
    // ceil(sqrt(100000)) = 317 columns: 317 · 28 = 8876 is too wide, 317 · 25 = 7925 fits
    const layout = spriteLayout(100_000, 28, 28)
    expect(layout).toMatchObject({ count: 100_000, truncated: false, columns: 317, rows: 316 })
    expect(layout.cellWidth).toBe(25)
    expect(layout.width).toBe(7925)
    expect(layout.columns * (layout.cellWidth + 1)).toBeGreaterThan(maxSpriteSide)
    // exactly 1024² items of 8 px fill the sprite
    expect(spriteLayout(1024 ** 2, 28, 28)).toMatchObject({
      cellWidth: 8,
      width: 8192,
      height: 8192,
    })
  })

  it('keeps the aspect of non-square images, shrinking the longer side', () => {
    const layout = spriteLayout(100_000, 56, 28)
    expect(layout.cellWidth).toBe(25)
    expect(layout.cellHeight).toBe(13)
    expect(layout.width).toBeLessThanOrEqual(maxSpriteSide)
    expect(layout.height).toBeLessThanOrEqual(maxSpriteSide)
  })

  it('stops at 8 px and then holds only the first items that fit', () => {
    const layout = spriteLayout(2_000_000, 28, 28)
    expect(layout).toMatchObject({
      count: 1024 ** 2,
      truncated: true,
      cellWidth: 8,
      width: 8192,
      height: 8192,
    })
    // images already smaller than 8 px are never enlarged
    expect(spriteLayout(5_000_000, 4, 4)).toMatchObject({ count: 2048 ** 2, cellWidth: 4 })
  })
})

describe('Sprite', () => {
  it('draws 100,000 28×28 items into a grey PNG within 8192 px, shrunk as the layout says', async () => {
    const count = 100_000
    const size = 28 * 28
    const pixels = constantImages(count, size)
    const sprite = new Sprite(count, { width: 28, height: 28, channels: 1 })
    for (let from = 0; from < count; from += 4096)
      sprite.draw(from, pixels.subarray(from * size, Math.min(count, from + 4096) * size))
    const image = await decoded(await sprite.png())
    expect([image.width, image.height, image.channels, image.colourType]).toEqual([
      7925, 7900, 1, 0,
    ])
    // a constant image stays constant when area-averaged; cell (col, row) holds item row·317 + col
    for (const item of [0, 1, 316, 317, 54_321, 99_999]) {
      const x = (item % 317) * 25 + 12
      const y = Math.floor(item / 317) * 25 + 12
      expect(image.data[y * image.width + x]).toBe(item % 251)
    }
  })

  it('averages the area each thumbnail pixel covers', () => {
    // 2×2 blocks of a 4×4 image become the pixels of a 2×2 one
    const blocks = Uint8Array.from([
      0, 0, 200, 200, 0, 0, 200, 200, 100, 100, 40, 40, 100, 100, 40, 40,
    ])
    const half = new Resampler({ width: 4, height: 4, channels: 1 }, 2, 2)
    expect([...half.apply(blocks)]).toEqual([0, 200, 100, 40])
    // 3 → 2 columns: each output pixel covers 1.5 inputs, (0·1 + 90·½) / 1.5 and (90·½ + 180·1) / 1.5
    const third = new Resampler({ width: 3, height: 1, channels: 1 }, 2, 1)
    expect([...third.apply(Uint8Array.from([0, 90, 180]))]).toEqual([30, 150])
    // channels are averaged apart
    const rgb = new Resampler({ width: 2, height: 1, channels: 3 }, 1, 1)
    expect([...rgb.apply(Uint8Array.from([10, 20, 30, 50, 60, 70]))]).toEqual([30, 40, 50])
  })

  it('writes RGB datasets as RGB, pixel for pixel at their own size', async () => {
    const rgb = Uint8Array.from({ length: 2 * 3 * 2 * 3 }, (_, i) => (i * 37) % 256)
    const sprite = new Sprite(2, { width: 3, height: 2, channels: 3 })
    sprite.draw(0, rgb)
    const image = await decoded(await sprite.png())
    expect([image.width, image.height, image.channels, image.colourType]).toEqual([6, 2, 3, 2])
    // item 0 in columns 0–2, item 1 in columns 3–5
    for (let y = 0; y < 2; y++)
      for (let item = 0; item < 2; item++)
        expect([
          ...image.data.subarray((y * 6 + item * 3) * 3, (y * 6 + item * 3 + 3) * 3),
        ]).toEqual([...rgb.subarray(item * 18 + y * 9, item * 18 + y * 9 + 9)])
  })
})
