// Reads the generated .ico and .icns back by their published layouts, and decodes every image.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { icnsTypes, icoSizes } from '../../../main/scripts/icon-files'
import { renderIcons } from '../../../main/scripts/icons'

const source = join(import.meta.dirname, '..', '..', '..', 'resources', 'icon.svg')
let out: string

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'studio-icons-'))
  await renderIcons(source, out)
})
afterAll(() => rmSync(out, { recursive: true, force: true }))

/** A PNG's size, and whether its corner is transparent and its middle is drawn. */
function pngOf(data: Buffer) {
  const png = PNG.sync.read(data)
  const alphaAt = (x: number, y: number) => png.data[(y * png.width + x) * 4 + 3]
  const middle = Math.floor(png.width / 2)
  return {
    width: png.width,
    height: png.height,
    corner: alphaAt(0, 0),
    middle: alphaAt(middle, middle),
  }
}

describe('icons', () => {
  it('writes an .ico whose directory points at a PNG of each size', () => {
    const ico = readFileSync(join(out, 'icon.ico'))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const count = ico.readUInt16LE(4)
    const sizes = Array.from({ length: count }, (_, i) => {
      const entry = 6 + 16 * i
      const size = ico.readUInt8(entry) || 256
      const length = ico.readUInt32LE(entry + 8)
      const offset = ico.readUInt32LE(entry + 12)
      const png = pngOf(ico.subarray(offset, offset + length))
      expect([png.width, png.height]).toEqual([size, size])
      expect(png.corner).toBe(0)
      expect(png.middle).toBe(255)
      return size
    })
    expect(sizes).toEqual(icoSizes)
  })

  it('writes an .icns whose entries fill the file and hold PNGs of their sizes', () => {
    const icns = readFileSync(join(out, 'icon.icns'))
    expect(icns.toString('ascii', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const found: { type: string; size: number }[] = []
    for (let at = 8; at < icns.length;) {
      const type = icns.toString('ascii', at, at + 4)
      const length = icns.readUInt32BE(at + 4)
      const png = pngOf(icns.subarray(at + 8, at + length))
      expect(png.width).toBe(png.height)
      found.push({ type, size: png.width })
      at += length
    }
    expect(found).toEqual(icnsTypes)
  })

  it('writes the Linux sizes as <n>x<n>.png', () => {
    for (const size of [16, 48, 256, 512])
      expect(pngOf(readFileSync(join(out, 'icons', `${size}x${size}.png`))).width).toBe(size)
  })
})
