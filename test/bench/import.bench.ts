import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
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

export async function benchImport(): Promise<void> {
  console.log('import benchmark')
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
