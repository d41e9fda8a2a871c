// A seeded mutation test of the PNG (png.ts) and JPEG (jpeg.ts) readers (issue 14, part 6):
// a few hundred damaged copies of valid files. For each, a reader gives pixels of the size the
// header declares, or leaves the file to sharp (null), or refuses it with SkipFile; never another
// error. Where it gives pixels, libvips (libpng/libspng, libjpeg) must read the file too, to the
// same pixels within a grey level or two: a file that sharp refuses is never imported.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { PixelOptions } from '../../../../main/core/datasets/decode'
import { finishItem, type ResizedPixels } from '../../../../main/core/datasets/finish'
import { reduceJpegGrey } from '../../../../main/core/datasets/jpeg'
import { reducePng } from '../../../../main/core/datasets/png'
import { SkipFile } from '../../../../main/core/datasets/reasons'
import { rgbPixels } from '../../../fixtures/images'
import { pngChunks, pngFromChunks } from '../../../fixtures/png-chunks'
import { baseOptions } from './workspace'

/** mulberry32: a small seeded generator, so that a failure can be replayed */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** a picture with texture, so that the entropy-coded data is not trivial */
const picture = (width: number, height: number, seed: number) => {
  const next = random(seed)
  return sharp(
    rgbPixels(width, height, (x, y) => [(x * 5 + next() * 60) % 256, (y * 4) % 256, next() * 255]),
    { raw: { width, height, channels: 3 } },
  )
}

async function seeds(): Promise<{ png: Buffer[]; jpeg: Buffer[] }> {
  const png = await Promise.all([
    picture(61, 43, 1).png().toBuffer(),
    picture(40, 52, 2).png({ palette: true, colours: 40 }).toBuffer(),
    picture(48, 48, 3).greyscale().png({ adaptiveFiltering: true }).toBuffer(),
    picture(50, 37, 4).ensureAlpha(0.5).png().toBuffer(),
  ])
  const jpeg = await Promise.all([
    picture(97, 81, 5).jpeg({ quality: 85 }).toBuffer(),
    picture(80, 104, 6).jpeg({ quality: 90, chromaSubsampling: '4:4:4' }).toBuffer(),
    picture(88, 88, 7).greyscale().jpeg({ quality: 80 }).toBuffer(),
  ])
  return { png, jpeg }
}

type Mutation = (bytes: Buffer, next: () => number) => Buffer

const at = (bytes: Buffer, next: () => number) => Math.floor(next() * bytes.length)

const mutations: Record<string, Mutation> = {
  'bit flips': (bytes, next) => {
    const out = Buffer.from(bytes)
    for (let n = 1 + Math.floor(next() * 4); n > 0; n--) out[at(out, next)] ^= 1 << (next() * 8)
    return out
  },
  'byte replaced': (bytes, next) => {
    const out = Buffer.from(bytes)
    out[at(out, next)] = [0, 0xff, Math.floor(next() * 256)][Math.floor(next() * 3)]
    return out
  },
  truncated: (bytes, next) => bytes.subarray(0, at(bytes, next)),
  'segment length edited': (bytes, next) => {
    // a PNG chunk's or a JPEG segment's length field, picked among the first few
    const out = Buffer.from(bytes)
    const fields = lengthFields(out)
    const field = fields[Math.floor(next() * fields.length)]
    const size = out[0] === 0x89 ? 4 : 2
    const old = out.readUIntBE(field, size)
    const value = Math.max(0, old + Math.floor((next() - 0.5) * 40))
    out.writeUIntBE(Math.min(value, size === 4 ? 0xffffffff : 0xffff), field, size)
    return out
  },
  'PNG chunk content, CRC fixed': (bytes, next) => {
    if (bytes[0] !== 0x89) return mutations['byte replaced'](bytes, next)
    const chunks = pngChunks(bytes).filter(({ type }) => type !== 'IEND' || next() < 0.8)
    const chunk = chunks[Math.floor(next() * chunks.length)]
    if (chunk.data.length > 0) chunk.data[at(chunk.data, next)] = Math.floor(next() * 256)
    else chunks.splice(chunks.indexOf(chunk), 1)
    return pngFromChunks(chunks)
  },
}

/** Offsets of the length fields of the PNG chunks or JPEG marker segments before the data. */
function lengthFields(bytes: Buffer): number[] {
  const fields: number[] = []
  if (bytes[0] === 0x89) {
    for (let o = 8; o + 8 <= bytes.length; o += 12 + bytes.readUInt32BE(o)) fields.push(o)
  } else
    for (let o = 2; o + 4 <= bytes.length && bytes[o] === 0xff; o += 2 + bytes.readUInt16BE(o + 2))
      if (fields.push(o + 2) && bytes[o + 1] === 0xda) break
  return fields
}

type Verdict = { pixels: ResizedPixels } | { refused: string } | 'to sharp'

function verdict(read: () => ResizedPixels | null): Verdict {
  try {
    const pixels = read()
    return pixels ? { pixels } : 'to sharp'
  } catch (error) {
    if (error instanceof SkipFile) return { refused: error.reason }
    throw error
  }
}

/** sharp's reading of a file at the item's size, or null where libvips refuses it */
async function bySharp(bytes: Buffer, options: PixelOptions): Promise<Uint8Array | null> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: options.maxPixels })
      .resize(options.size, options.size, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true })
    return finishItem(
      { data, width: info.width, height: info.height, channels: info.channels },
      { size: options.size, outputChannels: options.channels === 'rgb' ? 3 : 1, background: 0 },
    )
  } catch {
    return null
  }
}

function meanDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

type Reader = (bytes: Buffer, options: PixelOptions) => ResizedPixels | null

const readPng: Reader = (bytes, options) => reducePng(bytes, options, options.channels === 'grey')

const finish = (pixels: ResizedPixels) =>
  finishItem(pixels, { size: 8, outputChannels: pixels.channels === 3 ? 3 : 1, background: 0 })

const filesPerFormat = 160

describe('the hand-written readers on damaged files', () => {
  it(`read, refuse or hand to sharp ${2 * filesPerFormat} mutated PNGs and JPEGs, as libvips would`, async () => {
    const { png, jpeg } = await seeds()
    const next = random(14)
    // how far the reader is from sharp on the undamaged file: box and Lanczos differ at edges
    const baselines = new Map<string, number>()
    const baseline = async (bytes: Buffer, options: PixelOptions, read: Reader) => {
      const key = `${bytes.length} ${options.channels}`
      if (!baselines.has(key))
        baselines.set(
          key,
          meanDifference(finish(read(bytes, options)!), (await bySharp(bytes, options))!),
        )
      return baselines.get(key)!
    }
    const names = Object.keys(mutations)
    const disagreements: string[] = []
    let read = 0
    for (const [format, originals] of [
      ['PNG', png],
      ['JPEG', jpeg],
    ] as const)
      for (let i = 0; i < filesPerFormat; i++) {
        const original = originals[i % originals.length]
        const name = names[Math.floor(next() * names.length)]
        const bytes = mutations[name](original, next)
        const options: PixelOptions = {
          ...baseOptions,
          channels: format === 'PNG' && next() < 0.5 ? 'rgb' : 'grey',
          maxPixels: 20_000,
        }
        const reader = format === 'PNG' ? readPng : reduceJpegGrey
        const result = verdict(() => reader(bytes, options))
        if (result === 'to sharp') continue
        const theirs = await bySharp(bytes, options)
        const label = `${format} #${i} (${name}, seed ${i % originals.length})`
        if ('refused' in result) {
          // only the pixel limit is refused by the readers themselves; sharp agrees
          if (!/above the 20,000-pixel limit|palette/.test(result.refused) || theirs)
            disagreements.push(`${label}: refused (${result.refused}), sharp reads it`)
          continue
        }
        const { pixels } = result
        expect(pixels.data.length).toBe(pixels.width * pixels.height * pixels.channels)
        read++
        if (!theirs) disagreements.push(`${label}: read, but sharp refuses it`)
        else {
          const difference = meanDifference(finish(pixels), theirs)
          const usual = await baseline(original, options, reader)
          if (difference > usual + 1)
            disagreements.push(`${label}: differs from sharp by ${difference} (${usual} undamaged)`)
        }
      }
    expect(disagreements).toEqual([])
    // the mutations leave some files readable: the comparison above is not empty
    expect(read).toBeGreaterThan(20)
  }, 30_000)
})
