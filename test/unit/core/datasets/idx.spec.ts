import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  fashionClassNames,
  fashionMeanPixel,
  looksLikeFashionMnist,
  pairingKey,
  readIdx,
} from '../../../../main/core/datasets/idx'
import { importDataset } from '../../../../main/core/datasets/import'
import { idxPixel, writeIdxImages, writeIdxLabels } from '../../../fixtures/arrays'
import { tempDir } from '../../../helpers/temp'
import { allItems, baseOptions, itemPixels, openStore } from './workspace'

/** IDX images of one grey level: what the Fashion-MNIST check reads is their mean. */
function writeUniformIdx(
  dir: string,
  name: string,
  o: { count: number; size: number; pixel: number },
) {
  mkdirSync(dir, { recursive: true })
  const header = Buffer.alloc(16)
  header.writeUInt32BE(0x00000803, 0)
  header.writeUInt32BE(o.count, 4)
  header.writeUInt32BE(o.size, 8)
  header.writeUInt32BE(o.size, 12)
  writeFileSync(
    join(dir, name),
    Buffer.concat([header, Buffer.alloc(o.count * o.size * o.size, o.pixel)]),
  )
}

const digits = (n: number) => Array.from({ length: n }, (_, i) => (i * 7) % 10)

/** What image `index` of the generated IDX file holds, as a grey H×W array. */
function expectedIdx(index: number, size: number): number[] {
  const values: number[] = []
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) values.push(idxPixel(index, x, y))
  return values
}

describe('IDX import', () => {
  it.each([true, false])(
    'pairs images with labels given together (gzip: %s) and copies the bytes',
    async (gzip) => {
      const dir = tempDir()
      const suffix = gzip ? '.gz' : ''
      const images = writeIdxImages(dir, `train-images-idx3-ubyte${suffix}`, {
        count: 12,
        height: 8,
        width: 8,
        gzip,
      })
      const labels = writeIdxLabels(dir, `train-labels-idx1-ubyte${suffix}`, digits(12), gzip)
      const { store } = openStore()
      const result = await importDataset(store, [labels, images], { ...baseOptions, size: 8 })
      expect(result.items).toBe(12)
      expect(result.skipped).toEqual([])
      const page = allItems(store, result.datasetId)
      expect(page.paths[3]).toBe(`${images}#3`)
      expect(page.labels).toEqual(digits(12).map(String))
      for (const i of [0, 5, 11]) expect([...itemPixels(page, i)]).toEqual(expectedIdx(i, 8))
    },
  )

  it('keeps every item across batches: 1,234 images, each at its own position', async () => {
    const dir = tempDir()
    const images = writeIdxImages(dir, 'big-images-idx3-ubyte', {
      count: 1234,
      height: 8,
      width: 8,
    })
    const { store } = openStore()
    const result = await importDataset(store, [images], baseOptions)
    expect(result.items).toBe(1234)
    const page = store.items(result.datasetId, 1000, 234)
    expect(page.paths[0]).toBe(`${images}#1000`)
    expect(page.paths.at(-1)).toBe(`${images}#1233`)
    expect([...itemPixels(page, 0)]).toEqual(expectedIdx(1000, 8))
  })

  it('finds the labels file side by side when only the images file is given', async () => {
    const dir = tempDir()
    const images = writeIdxImages(dir, 't10k-images-idx3-ubyte.gz', {
      count: 4,
      height: 8,
      width: 8,
      gzip: true,
    })
    writeIdxLabels(dir, 't10k-labels-idx1-ubyte.gz', [1, 2, 3, 4], true)
    writeIdxLabels(dir, 'train-labels-idx1-ubyte.gz', [9, 9, 9, 9], true) // a different pair
    const { store } = openStore()
    const result = await importDataset(store, [images], baseOptions)
    expect(result.labels).toEqual({ 1: 1, 2: 1, 3: 1, 4: 1 })
  })

  it('names Fashion-MNIST classes by what the files hold, not by their path', async () => {
    const tenClasses = Array.from({ length: 20 }, (_, i) => i % 10)
    const labelsOf = async (dir: string, pixel: number, size = 28) => {
      writeUniformIdx(dir, 'train-images-idx3-ubyte', { count: 20, size, pixel })
      writeIdxLabels(dir, 'train-labels-idx1-ubyte', tenClasses)
      const { store } = openStore()
      const result = await importDataset(store, [dir], { ...baseOptions, size })
      return allItems(store, result.datasetId).labels
    }
    // clothes fill the frame: a mean pixel above Fashion-MNIST's threshold, whatever the folder
    const clothes = await labelsOf(join(tempDir(), 'mine'), fashionMeanPixel + 20)
    expect(new Set(clothes)).toEqual(new Set(fashionClassNames))
    expect(clothes[9]).toBe('Ankle boot')
    // MNIST's files have the same names, shape and classes, but thin strokes on black
    expect(await labelsOf(join(tempDir(), 'mnist'), 33)).toEqual(tenClasses.map(String))
    // the word in the path no longer decides: 8 × 8 images are not Fashion-MNIST
    expect(await labelsOf(join(tempDir(), 'Fashion-MNIST'), 120, 8)).toEqual(tenClasses.map(String))
  })

  it('takes the bundled Fashion-MNIST sample for what it is', async () => {
    const dir = join(
      import.meta.dirname,
      '..',
      '..',
      '..',
      '..',
      'resources',
      'sample',
      'fashion-mnist',
    )
    const images = await readIdx(join(dir, 'sample-images-idx3-ubyte.gz'))
    const labels = await readIdx(join(dir, 'sample-labels-idx1-ubyte.gz'))
    const values = images.bytes.subarray(images.header.dataOffset)
    expect(
      looksLikeFashionMnist(
        { dims: images.header.dims, values },
        labels.bytes.subarray(labels.header.dataOffset),
      ),
    ).toBe(true)
    // the same images with an eleventh class are something else
    const eleven = Uint8Array.from(labels.bytes.subarray(labels.header.dataOffset))
    eleven[0] = 10
    expect(looksLikeFashionMnist({ dims: images.header.dims, values }, eleven)).toBe(false)
  })

  it('imports the images without labels, and says why, when the label count differs', async () => {
    const dir = tempDir()
    const images = writeIdxImages(dir, 'train-images-idx3-ubyte', { count: 5, height: 8, width: 8 })
    const labels = writeIdxLabels(dir, 'train-labels-idx1-ubyte', [1, 2, 3])
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(5)
    expect(result.labels).toEqual({})
    expect(result.skipped).toEqual([
      {
        path: labels,
        reason: `the labels file has 3 labels but train-images-idx3-ubyte has 5 images: the images were imported without labels`,
      },
    ])
    expect(allItems(store, result.datasetId).paths[0]).toBe(`${images}#0`)
  })

  it('resizes through the decoder when the size differs, and replicates grey into RGB', async () => {
    const dir = tempDir()
    const images = writeIdxImages(dir, 'x-images-idx3-ubyte', { count: 3, height: 8, width: 8 })
    const { store } = openStore()
    const bigger = await importDataset(store, [images], { ...baseOptions, size: 16 })
    const page = allItems(store, bigger.datasetId)
    expect(page.pixels.length).toBe(3 * 16 * 16)
    const rgb = await importDataset(store, [images], { ...baseOptions, size: 8, channels: 'rgb' })
    const rgbPixels = itemPixels(allItems(store, rgb.datasetId), 2)
    const grey = expectedIdx(2, 8)
    expect([...rgbPixels]).toEqual(grey.flatMap((v) => [v, v, v]))
  })

  it('skips a truncated IDX file with a reason', async () => {
    const dir = tempDir()
    writeIdxImages(dir, 'ok-images-idx3-ubyte', { count: 2, height: 8, width: 8 })
    const whole = writeIdxImages(tempDir(), 'cut-images-idx3-ubyte', {
      count: 4,
      height: 8,
      width: 8,
    })
    const cut = join(dir, 'cut-images-idx3-ubyte')
    writeFileSync(cut, readFileSync(whole).subarray(0, 100))
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(2)
    expect(result.skipped).toEqual([
      {
        path: cut,
        reason: 'the file is truncated or damaged: it should hold 4 images of 8×8, but is shorter',
      },
    ])
  })

  it('pairs names on their images/labels parts', () => {
    expect(pairingKey('/a/train-images-idx3-ubyte.gz')).toBe(
      pairingKey('/b/train-labels-idx1-ubyte'),
    )
    expect(pairingKey('train-images.idx3-ubyte')).toBe(pairingKey('train-labels.idx1-ubyte'))
    expect(pairingKey('emnist-letters-test-images-idx3-ubyte')).toBe(
      pairingKey('emnist-letters-test-labels-idx1-ubyte'),
    )
    expect(pairingKey('train-images-idx3-ubyte')).not.toBe(pairingKey('t10k-labels-idx1-ubyte'))
  })
})
