// Arrays as Python pipelines leave them: torchvision's raw MNIST folders (each set gzipped and
// unpacked side by side), .npz archives with labels, PyTorch's channel-first N×C×H×W arrays, and a
// labels.csv sidecar for folders and arrays.
import { describe, expect, it } from 'vitest'
import { importDataset } from '../../../../main/core/datasets/import'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { writeIdxImages, writeIdxLabels, writeNpy } from '../../../fixtures/arrays'
import { runPython } from '../export/python'
import { tempDir } from '../../../helpers/temp'
import { allItems, baseOptions, openStore } from './workspace'

/** FashionMNIST/raw as torchvision leaves it: every file both gzipped and unpacked. */
function torchvisionRaw(): string {
  const top = tempDir('studio-torchvision-')
  const raw = `${top}/FashionMNIST/raw`
  const sets = [
    { name: 'train', count: 6 },
    { name: 't10k', count: 4 },
  ]
  for (const { name, count } of sets)
    for (const gzip of [false, true]) {
      const ext = gzip ? '.gz' : ''
      writeIdxImages(raw, `${name}-images-idx3-ubyte${ext}`, { count, height: 8, width: 8, gzip })
      const labels = Array.from({ length: count }, (_, i) => i % 10)
      writeIdxLabels(raw, `${name}-labels-idx1-ubyte${ext}`, labels, gzip)
    }
  return raw
}

describe("torchvision's raw folders", () => {
  it('still import a gzipped file alone, or one whose unpacked namesake holds other data', async () => {
    const { store } = openStore()
    const dir = tempDir('studio-gz-')
    writeIdxImages(dir, 'train-images-idx3-ubyte.gz', { count: 3, height: 8, width: 8, gzip: true })
    writeIdxImages(dir, 'train-images-idx3-ubyte', { count: 2, height: 8, width: 8 })
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(5)
    expect(result.skipped).toEqual([])
  })

  it('import each set once, and say the gzipped copies were the same data', async () => {
    const { store } = openStore()
    const raw = torchvisionRaw()
    const result = await importDataset(store, [raw], baseOptions)
    expect(result.items).toBe(10)
    const items = allItems(store, result.datasetId)
    const names = items.paths.map((path) => path.slice(raw.length + 1))
    expect(names).toEqual([
      ...Array.from({ length: 4 }, (_, i) => `t10k-images-idx3-ubyte#${i}`),
      ...Array.from({ length: 6 }, (_, i) => `train-images-idx3-ubyte#${i}`),
    ])
    // four 8×8 images are not Fashion-MNIST whatever the folder is called (datasets/idx.ts)
    expect(items.labels.slice(0, 4)).toEqual(['0', '1', '2', '3'])
    const skipped = Object.fromEntries(
      result.skipped.map(({ path, reason }) => [path.slice(raw.length + 1), reason]),
    )
    expect(Object.keys(skipped).sort()).toEqual([
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
    ])
    expect(skipped['t10k-images-idx3-ubyte.gz']).toBe(
      'a duplicate: the gzipped copy of t10k-images-idx3-ubyte, which holds the same images; the test set images were imported once, from t10k-images-idx3-ubyte',
    )
    expect(skipped['train-labels-idx1-ubyte.gz']).toMatch(/the train set labels were imported once/)
  })
})

/** Saves arrays with numpy itself: `script` sees numpy as np and the output path as `out`. */
function numpySave(dir: string, name: string, script: string): string {
  const out = join(dir, name)
  runPython(
    `import json, sys, numpy as np\nout = sys.argv[1]\n${script}\nprint(json.dumps(out))`,
    out,
  )
  return out
}

describe('.npz archives', () => {
  it('import x with y as labels, compressed or not', async () => {
    const dir = tempDir('studio-npz-')
    for (const save of ['savez', 'savez_compressed'])
      numpySave(
        dir,
        `${save}.npz`,
        `x = (np.arange(5 * 8 * 8) % 256).astype(np.uint8).reshape(5, 8, 8)
np.${save}(out, other=np.zeros(3), x=x, y=np.array([3, 1, 4, 1, 5], dtype=np.int64))`,
      )
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(10)
    expect(result.skipped).toEqual([])
    const items = allItems(store, result.datasetId)
    expect(items.labels).toEqual(['3', '1', '4', '1', '5', '3', '1', '4', '1', '5'])
    expect(items.paths[1]).toBe(join(dir, 'savez.npz#1'))
    // the pixels are numpy's, in order: item 1 starts at 64 % 256
    expect(items.pixels[64]).toBe(64)
  })

  it('take images/labels by name, string labels, or else the first two arrays', async () => {
    const dir = tempDir('studio-npz-')
    numpySave(
      dir,
      'named.npz',
      `np.savez(out, labels=np.array(['cat', 'dög']), images=np.full((2, 8, 8, 3), 0.5, dtype=np.float32))`,
    )
    numpySave(
      dir,
      'positional.npz',
      `np.savez(out, np.zeros((3, 8, 8), dtype=np.uint8), np.array([7, 8, 9], dtype=np.int32))`,
    )
    const { store } = openStore()
    const result = await importDataset(store, [dir], { ...baseOptions, channels: 'rgb' })
    expect(result.skipped).toEqual([])
    const items = allItems(store, result.datasetId)
    expect(items.labels).toEqual(['cat', 'dög', '7', '8', '9'])
    expect(items.pixels[0]).toBe(128)
  })

  it('import the images without labels, saying why, when the labels do not fit', async () => {
    const dir = tempDir('studio-npz-')
    const path = numpySave(
      dir,
      'short.npz',
      `np.savez(out, x=np.zeros((3, 8, 8), dtype=np.uint8), y=np.array([1, 2]))`,
    )
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(3)
    expect(result.skipped).toEqual([
      {
        path,
        reason:
          "its array 'y' was not taken as labels (the labels array has 2 labels for 3 images): the images of 'x' were imported without labels",
      },
    ])
  })
})

describe('channel-first arrays', () => {
  it('are recognised by shape, converted to channels last, and the user is told', async () => {
    const dir = tempDir('studio-nchw-')
    // 2 images, 3 channels, 8×8: channel c of image n holds 10·n + c + 1 everywhere
    const values = Array.from(
      { length: 2 * 3 * 64 },
      (_, i) => 10 * Math.floor(i / 192) + (Math.floor(i / 64) % 3) + 1,
    )
    const path = writeNpy(dir, 'nchw.npy', { descr: '|u1', shape: [2, 3, 8, 8], values })
    const { store } = openStore()
    const result = await importDataset(store, [path], { ...baseOptions, channels: 'rgb' })
    expect(result.items).toBe(2)
    const items = allItems(store, result.datasetId)
    expect(Array.from(items.pixels.subarray(0, 6))).toEqual([1, 2, 3, 1, 2, 3])
    expect(Array.from(items.pixels.subarray(192, 195))).toEqual([11, 12, 13])
    expect(result.skipped).toEqual([
      {
        path,
        reason:
          'note, not skipped: read as channels first (2×3×8×8, N×C×H×W as PyTorch keeps images) because its second side is 3; every image was imported, converted to channels last',
      },
    ])
  })

  it('leave an N×H×W×C array whose last side is a channel count as it is', async () => {
    const dir = tempDir('studio-nhwc-')
    const path = writeNpy(dir, 'nhwc.npy', {
      descr: '|u1',
      shape: [1, 3, 8, 3],
      values: new Array(72).fill(9),
    })
    const { store } = openStore()
    const result = await importDataset(store, [path], { ...baseOptions, channels: 'rgb' })
    expect(result.items).toBe(1)
    expect(result.skipped).toEqual([])
  })
})

describe('a labels.csv sidecar', () => {
  it("labels a folder's images by relative path, over the folder names, and reports rows that match nothing", async () => {
    const dir = tempDir('studio-csv-')
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .png()
      .toBuffer()
    for (const name of ['a.png', 'sub/b.png', 'sub/c.png']) {
      const path = join(dir, name)
      mkdirSync(join(path, '..'), { recursive: true })
      writeFileSync(path, png)
    }
    writeFileSync(
      join(dir, 'labels.csv'),
      'path,label\r\na.png,cat\r\nsub/b.png,"dog, big"\r\nmissing.png,owl\r\n',
    )
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(3)
    const items = allItems(store, result.datasetId)
    expect(items.labels).toEqual(['cat', 'dog, big', 'sub'])
    expect(result.skipped).toEqual([
      {
        path: join(dir, 'labels.csv'),
        reason:
          "1 of its 3 rows name no imported image (such as 'missing.png'): those labels were not used",
      },
    ])
  })

  it('labels an array by index, as X.labels.csv beside X.npy or labels.csv beside the only array', async () => {
    const dir = tempDir('studio-csv-')
    writeNpy(join(dir, 'one'), 'x.npy', {
      descr: '|u1',
      shape: [3, 8, 8],
      values: new Array(192).fill(1),
    })
    writeFileSync(join(dir, 'one', 'x.labels.csv'), '0,zero\n2,two\n')
    writeNpy(join(dir, 'two'), 'y.npy', {
      descr: '|u1',
      shape: [2, 8, 8],
      values: new Array(128).fill(2),
    })
    writeFileSync(join(dir, 'two', 'labels.csv'), 'index,label\n1,b\n0,a\n')
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.skipped).toEqual([])
    const items = allItems(store, result.datasetId)
    // row 1 of x has no label in x.labels.csv: it keeps none
    expect(items.labels).toEqual(['zero', null, 'two', 'a', 'b'])
  })
})
