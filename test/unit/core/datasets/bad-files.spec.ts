// Damaged or hostile array files end quickly with a reason (issue 14, part 3): headers are
// checked against the file's real size, empty shapes are refused, and a gzip that inflates
// past what its header declares stops there.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodeImage } from '../../../../main/core/datasets/decode'
import { maxIdxBytes, readIdx } from '../../../../main/core/datasets/idx'
import { importDataset } from '../../../../main/core/datasets/import'
import { planSources } from '../../../../main/core/datasets/plan'
import { scanPaths } from '../../../../main/core/datasets/scan'
import { writeIdxImages, writeNpy } from '../../../fixtures/arrays'
import { rgbPixels } from '../../../fixtures/images'
import { pngChunks, pngFromChunks } from '../../../fixtures/png-chunks'
import { tempDir } from '../../../helpers/temp'
import { baseOptions, openStore } from './workspace'

/** An IDX images header (magic 0x00000803) declaring N×H×W, followed by `data`. */
function idxBytes(n: number, height: number, width: number, data = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(16)
  header.writeUInt32BE(0x00000803, 0)
  header.writeUInt32BE(n, 4)
  header.writeUInt32BE(height, 8)
  header.writeUInt32BE(width, 12)
  return Buffer.concat([header, data])
}

/** What the plan makes of the files in `dir`, by file name. */
async function planned(dir: string) {
  const sources = await planSources((await scanPaths([dir])).files)
  return Object.fromEntries(
    sources.map((s) => [s.path.slice(dir.length + 1), s.kind === 'skip' ? s.reason : s.kind]),
  )
}

describe('IDX files that lie about their size', () => {
  it('refuses 4,294,967,295 images of 0×0 in a 16-byte file before decoding anything', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'empty-images-idx3-ubyte'), idxBytes(0xffffffff, 0, 0))
    writeIdxImages(dir, 'ok-images-idx3-ubyte', { count: 3, height: 8, width: 8 })
    expect(await planned(dir)).toEqual({
      'empty-images-idx3-ubyte':
        'the file holds no images: its header says 4,294,967,295 images of 0×0 pixels',
      'ok-images-idx3-ubyte': 'idx',
    })
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(3)
    expect(result.skipped.map((s) => s.reason)).toEqual([
      'the file holds no images: its header says 4,294,967,295 images of 0×0 pixels',
    ])
  })

  it('refuses, when planning, a header that declares more images than the file holds', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'short-images-idx3-ubyte'), idxBytes(1000, 28, 28, Buffer.alloc(784)))
    expect(await planned(dir)).toEqual({
      'short-images-idx3-ubyte':
        'the file is truncated or damaged: it should hold 1,000 images of 28×28, but is shorter',
    })
  })

  it('refuses a gzipped header that declares more than the stated cap, without inflating', async () => {
    const dir = tempDir()
    expect(maxIdxBytes).toBeLessThan(2_000_000 * 784)
    writeFileSync(join(dir, 'huge-images-idx3-ubyte.gz'), gzipSync(idxBytes(2_000_000, 28, 28)))
    expect(await planned(dir)).toEqual({
      'huge-images-idx3-ubyte.gz':
        'its header says 2,000,000 images of 28×28 pixels (1.6 GB once decompressed), more than the 1 GB an IDX file may hold here',
    })
  })

  it('stops inflating a gzip bomb at the size its header declares', async () => {
    const dir = tempDir()
    // 10 images of 8×8 declared; then 64 MB of zeros in repeated gzip members (~64 kB on disk)
    const member = gzipSync(Buffer.alloc(1 << 20))
    const bomb = join(dir, 'bomb-images-idx3-ubyte.gz')
    writeFileSync(bomb, Buffer.concat([gzipSync(idxBytes(10, 8, 8)), ...Array(64).fill(member)]))
    const error = await readIdx(bomb).then(
      (file) => file.bytes.length,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({
      reason:
        'the file is damaged: it decompresses to more than the 656 bytes its header declares (10 images of 8×8 pixels)',
    })
  })
})

describe('.npy files that lie about their size', () => {
  it('refuses a 128-byte array of shape (1000000000, 0, 0), and one of no images', async () => {
    const dir = tempDir()
    writeNpy(dir, 'a-empty.npy', { descr: '|u1', shape: [1e9, 0, 0], values: [] })
    writeNpy(dir, 'b-none.npy', { descr: '|u1', shape: [0, 8, 8], values: [] })
    writeNpy(dir, 'c-ok.npy', { descr: '|u1', shape: [1, 8, 8], values: new Array(64).fill(7) })
    expect(await planned(dir)).toEqual({
      'a-empty.npy': 'the array holds no images: its shape is (1000000000, 0, 0)',
      'b-none.npy': 'the array holds no images: its shape is (0, 8, 8)',
      'c-ok.npy': 'npy',
    })
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(1)
    expect(result.skipped).toHaveLength(2)
  })

  it('refuses, when planning, a shape larger than the file', async () => {
    const dir = tempDir()
    writeNpy(dir, 'short.npy', { descr: '<f4', shape: [1000, 28, 28], values: [0.5] })
    expect(await planned(dir)).toEqual({
      'short.npy':
        'the file is truncated or damaged: its header says 1000×28×28 values, but it is shorter',
    })
  })
})

describe('a PNG palette longer than PNG allows', () => {
  it('is refused in words, in grey and in RGB, as libvips refuses it', async () => {
    const pixels = rgbPixels(40, 40, (x, y) => [x * 6, y * 6, (x * y) % 256])
    const png = await sharp(pixels, { raw: { width: 40, height: 40, channels: 3 } })
      .png({ palette: true, colours: 64 })
      .toBuffer()
    const chunks = pngChunks(png).map(({ type, data }) =>
      type === 'PLTE' ? { type, data: Buffer.alloc(300 * 3, 90) } : { type, data },
    )
    const damaged = pngFromChunks(chunks)
    await expect(sharp(damaged).raw().toBuffer()).rejects.toThrow()
    for (const channels of ['grey', 'rgb'] as const)
      await expect(decodeImage(damaged, '.png', { ...baseOptions, channels })).rejects.toThrow(
        "the PNG's palette has 300 colours, more than the 256 a PNG may have: the file is damaged",
      )
  })
})
