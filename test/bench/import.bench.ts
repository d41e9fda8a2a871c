import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { decodeWithSharp, type PixelOptions } from '../../main/core/datasets/decode'
import { finishItem } from '../../main/core/datasets/finish'
import { reduceJpegGrey } from '../../main/core/datasets/jpeg'
import { dispatch } from '../../main/core/dispatch'
import { Studio } from '../../main/core/service'
import type { ImportResult } from '../../main/core/shared/types'
import { runPython, table } from './peer'

const fashion = '/usr/share/datasets/fashion-mnist'
const folderImages = 10_000

function studioIn(dir: string): Studio {
  return new Studio({
    workspaceFile: join(dir, 'bench.sqlite'),
    resourcesDir: join(import.meta.dirname, '..', '..', 'resources'),
    shell: 'test',
    version: 'bench',
  })
}

async function importInto(studio: Studio, paths: string[]): Promise<ImportResult> {
  const outcome = await dispatch(studio.handlers, 'datasets.import', {
    paths,
    size: 28,
    channels: 'grey',
  })
  if (!outcome.ok) throw new Error(outcome.error.message)
  return outcome.result as ImportResult
}

/** A smooth, compressible test picture: gradients and a disc, different for every index. */
function picture(index: number, width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3)
  const cx = width * (0.3 + (0.4 * ((index * 7919) % 100)) / 100)
  const cy = height * (0.3 + (0.4 * ((index * 104729) % 100)) / 100)
  const r = Math.min(width, height) * 0.25
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r
      const o = (y * width + x) * 3
      pixels[o] = inside ? 240 : (x * 255) / width
      pixels[o + 1] = inside ? 200 : (y * 255) / height
      pixels[o + 2] = (index * 37) % 256
    }
  return pixels
}

/** 10,000 PNG and JPEG files of mixed sizes (48–640 px), made once and kept in the temp folder. */
async function generatedFolder(): Promise<string> {
  const dir = join(tmpdir(), 'studio-bench-mixed-v1')
  if (existsSync(dir) && readdirSync(dir).length === folderImages) return dir
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  console.log(`  generating ${folderImages} PNG and JPEG files in ${dir} (once)…`)
  for (let i = 0; i < folderImages; i++) {
    const width = 48 + ((i * 97) % 593)
    const height = 48 + ((i * 61) % 593)
    const image = sharp(picture(i, width, height), { raw: { width, height, channels: 3 } })
    const name = `img-${String(i).padStart(5, '0')}`
    if (i % 2) await image.jpeg({ quality: 85 }).toFile(join(dir, `${name}.jpg`))
    else await image.png().toFile(join(dir, `${name}.png`))
  }
  return dir
}

/** A photo-like picture: gradients, ripples and per-pixel grain, which JPEG codes at length. */
function texturedPhoto(index: number, width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3)
  let seed = index * 2654435761
  const grain = () => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 24) - 128
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const ripple = 40 * Math.sin((x + index * 13) / 9) * Math.cos(y / 7)
      const o = (y * width + x) * 3
      pixels[o] = (x * 200) / width + ripple + grain() / 4
      pixels[o + 1] = (y * 200) / height - ripple + grain() / 4
      pixels[o + 2] = 90 + ripple + grain() / 3
    }
  return pixels
}

/**
 * (c) The hand-written 1/8-scale JPEG reader beside sharp (libjpeg's shrink-on-load), one file
 * at a time, alternating, on smooth small images and on textured photos: decode.ts uses the hand
 * reader only up to the size where it measured faster.
 */
async function benchJpegReader(): Promise<void> {
  const options: PixelOptions = {
    size: 28,
    channels: 'grey',
    fit: 'pad',
    background: 'black',
    maxPixels: 100_000_000,
  }
  const finish = { size: 28, outputChannels: 1 as const, background: 0 }
  const sizes: [string, number, number, number][] = [
    ['smooth', 320, 240, 60],
    ['smooth', 640, 480, 30],
    ['photo', 320, 240, 60],
    ['photo', 480, 360, 40],
    ['photo', 640, 480, 30],
    ['photo', 1024, 768, 12],
    ['photo', 1920, 1080, 6],
    ['photo', 4000, 3000, 2],
  ]
  const rows: (string | number)[][] = [
    ['kind', 'size', 'left to sharp', 'hand ms', 'sharp ms', 'sharp / hand'],
  ]
  for (const [kind, width, height, rounds] of sizes) {
    const files = await Promise.all(
      Array.from({ length: 6 }, (_, i) => {
        const raw = kind === 'photo' ? texturedPhoto(i, width, height) : picture(i, width, height)
        return sharp(raw, { raw: { width, height, channels: 3 } })
          .jpeg({ quality: 90 })
          .toBuffer()
      }),
    )
    let [hand, bySharp, left] = [0, 0, 0]
    for (let round = 0; round < rounds; round++)
      for (const bytes of files) {
        // the hand reader as decode.ts would use it: what it leaves (odd chroma) goes to sharp
        let started = performance.now()
        const reduced = reduceJpegGrey(bytes, options)
        if (reduced) finishItem(reduced, finish)
        else await decodeWithSharp(bytes, options)
        hand += performance.now() - started
        if (round === 0) left += Number(!reduced)
        started = performance.now()
        await decodeWithSharp(bytes, options)
        bySharp += performance.now() - started
      }
    const n = rounds * files.length
    const ratio = (bySharp / hand).toFixed(2)
    rows.push([kind, `${width}×${height}`, left, hand / n, bySharp / n, ratio])
  }
  console.log(`\n(c) baseline JPEG (quality 90) → 28×28 grey: hand reader beside sharp, per image`)
  table(rows)
}

export async function benchImport(): Promise<void> {
  console.log('import benchmark')
  await benchJpegReader()
  const work = mkdtempSync(join(tmpdir(), 'studio-bench-'))
  try {
    // (a) Fashion-MNIST train, IDX
    if (existsSync(fashion)) {
      const studio = studioIn(join(work, 'a'))
      const started = performance.now()
      const result = await importInto(studio, [
        join(fashion, 'train-images-idx3-ubyte.gz'),
        join(fashion, 'train-labels-idx1-ubyte.gz'),
      ])
      const seconds = (performance.now() - started) / 1000
      studio.close()
      console.log(`\n(a) Fashion-MNIST train from IDX into a fresh workspace`)
      table([
        ['images', 'seconds', 'images/s'],
        [result.items, seconds, result.items / seconds],
      ])
    } else
      console.log(`\n(a) skipped: ${fashion} not found (apt-get install dataset-fashion-mnist)`)

    // (b) a folder of mixed PNG/JPEG, decoded and resized to 28×28 grey, beside Pillow
    const folder = await generatedFolder()
    const studio = studioIn(join(work, 'b'))
    const started = performance.now()
    const result = await importInto(studio, [folder])
    const seconds = (performance.now() - started) / 1000
    studio.close()
    const ours = result.items / seconds
    const peer = runPython<{ images: number; seconds: number }>(
      join(import.meta.dirname, 'pillow_import.py'),
      [folder, '28'],
    )
    console.log(`\n(b) ${folderImages} PNG + JPEG files, mixed sizes → 28×28 grey`)
    if ('missing' in peer) {
      table([
        ['side', 'images', 'seconds', 'images/s'],
        ['studio', result.items, seconds, ours],
      ])
      console.log(
        `  Pillow peer did not run: ${peer.missing} (apt-get install python3-pil python3-numpy)`,
      )
    } else {
      const theirs = peer.result.images / peer.result.seconds
      table([
        ['side', 'images', 'seconds', 'images/s'],
        ['studio', result.items, seconds, ours],
        ['Pillow loop', peer.result.images, peer.result.seconds, theirs],
      ])
      console.log(`  ratio studio / Pillow: ${(ours / theirs).toFixed(2)}× (goal ≥ 2×)`)
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
