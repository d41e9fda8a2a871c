import { chmodSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importDataset } from '../../../../main/core/datasets/import'
import { fsReason } from '../../../../main/core/datasets/reasons'
import type { DatasetsStore } from '../../../../main/core/store/datasets-store'
import { writeIdxImages } from '../../../fixtures/arrays'
import * as images from '../../../fixtures/images'
import { tempDir } from '../../../helpers/temp'
import { allItems, baseOptions, itemPixels, openStore, type Progress } from './workspace'

type Db = ReturnType<typeof openStore>['db']
const rowCounts = (db: Db) => ({
  datasets: (db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n,
  items: (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n,
  skipped: (db.prepare('SELECT count(*) AS n FROM skipped').get() as { n: number }).n,
})

/** A store whose addItems runs `after` once the batch is stored (or instead, to fail). */
function storeWithHook(store: DatasetsStore, after: (stored: number) => void): DatasetsStore {
  const hooked = Object.create(store) as DatasetsStore
  let stored = 0
  hooked.addItems = (id, first, items) => {
    const ids = store.addItems(id, first, items)
    stored += items.length
    after(stored)
    return ids
  }
  return hooked
}

async function folderOfImages(count: number): Promise<string> {
  const dir = tempDir()
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      images.writeImage(
        dir,
        `img${String(i).padStart(3, '0')}.png`,
        8 + (i % 5) * 7,
        8,
        images.solid([i % 256, 0, 0]),
      ),
    ),
  )
  return dir
}

describe('importDataset', () => {
  it('imports a mixed folder: labels from subfolders, every item size × size, unreadable files listed', async () => {
    const dir = tempDir()
    await images.writeImage(dir, 'cats/a.png', 40, 10)
    await images.writeImage(dir, 'cats/b.jpg', 7, 30, undefined, 'jpeg')
    await images.writeImage(dir, 'dogs/c.webp', 64, 64, undefined, 'webp')
    images.writeBmp(dir, 'dogs/d.bmp', 3, 5, images.solid([9, 9, 9]))
    await images.writeImage(dir, 'top.gif', 5, 5, undefined, 'gif')
    await images.writeTruncated(dir, 'cats/broken.png', 'png')
    images.writeText(dir, 'dogs/readme.txt')
    images.writeText(dir, 'empty.jpg', '')
    images.writeText(dir, '.hidden.png')
    const { store } = openStore()
    const result = await importDataset(store, [dir], { ...baseOptions, size: 12 })
    expect(result.items).toBe(5)
    expect(result.labels).toEqual({ cats: 2, dogs: 2 })
    expect(result.skipped).toEqual([
      { path: join(dir, 'cats/broken.png'), reason: 'the file is truncated or damaged' },
      { path: join(dir, 'dogs/readme.txt'), reason: 'not an image file (.txt)' },
      { path: join(dir, 'empty.jpg'), reason: 'the file is empty' },
    ])
    const page = allItems(store, result.datasetId)
    expect(page.pixels.length).toBe(5 * 12 * 12)
    expect(page.labels).toEqual(['cats', 'cats', 'dogs', 'dogs', null])
    const summary = store.get(result.datasetId)
    expect(summary).toMatchObject({
      name: basename(dir),
      items: 5,
      skipped: 3,
      width: 12,
      sources: [dir],
    })
    expect(store.skipped(result.datasetId).skipped).toEqual(result.skipped)
  })

  it('stores items in path order with their own pixels although decodes finish out of order', async () => {
    const dir = await folderOfImages(60)
    const { store } = openStore()
    const result = await importDataset(
      store,
      [dir],
      { ...baseOptions, channels: 'rgb' },
      { concurrency: 8 },
    )
    const page = allItems(store, result.datasetId)
    expect(page.paths).toEqual([...page.paths].sort())
    page.paths.forEach((path, i) => {
      expect(basename(path)).toBe(`img${String(i).padStart(3, '0')}.png`)
      expect(itemPixels(page, i)[3 * 27]).toBe(i) // red channel of the centre pixel
    })
  })

  it('decodes in worker threads to the same items, order, duplicates and skipped files', async () => {
    const dir = await folderOfImages(40)
    images.writeText(dir, 'img-broken.png')
    const runs = await Promise.all(
      [0, 2].map(async (threads) => {
        const { store } = openStore()
        const result = await importDataset(store, [dir], baseOptions, { threads })
        return { result, page: allItems(store, result.datasetId) }
      }),
    )
    const [inThread, inWorkers] = runs
    expect(inWorkers.result.items).toBe(40)
    expect(inWorkers.result.skipped).toEqual(inThread.result.skipped)
    expect(inWorkers.page.paths).toEqual(inThread.page.paths)
    expect([...inWorkers.page.pixels]).toEqual([...inThread.page.pixels])
  })

  it('imports duplicates but reports them against the first copy', async () => {
    const dir = tempDir()
    await images.writeImage(dir, 'one.png', 8, 8, images.solid([1, 2, 3]))
    await images.writeImage(dir, 'sub/two.png', 8, 8, images.solid([1, 2, 3]))
    await images.writeImage(dir, 'three.png', 8, 8, images.solid([3, 2, 1]))
    const { store, db } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(3)
    expect(result.duplicates).toEqual([
      { path: join(dir, 'sub/two.png'), sameAs: join(dir, 'one.png') },
    ])
    expect(store.skipped(result.datasetId).duplicates).toEqual(result.duplicates)
    const rows = db.prepare('SELECT id, path, duplicate_of FROM items ORDER BY position').all() as {
      id: number
      path: string
      duplicate_of: number | null
    }[]
    const first = rows.find((row) => row.path.endsWith('one.png'))!
    expect(rows.find((row) => row.path.endsWith('two.png'))!.duplicate_of).toBe(first.id)
    expect(store.get(result.datasetId).duplicates).toBe(1)
  })

  it('refuses an empty folder, a folder of non-images and a missing path, creating nothing', async () => {
    const { store, db } = openStore()
    const empty = tempDir()
    images.writeText(empty, '.DS_Store')
    await expect(importDataset(store, [empty], baseOptions)).rejects.toMatchObject({
      code: 'no-images',
      message: `The folder ${empty} is empty.`,
    })
    const texts = tempDir()
    for (const name of ['a.txt', 'b.csv', 'sub/c.docx']) images.writeText(texts, name)
    await expect(importDataset(store, [texts], baseOptions)).rejects.toMatchObject({
      code: 'no-images',
      message: `No images found in ${texts}: it has 3 files, none of them an image (PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG, BMP, MNIST IDX or NumPy .npy/.npz).`,
    })
    await expect(importDataset(store, [join(texts, 'nope')], baseOptions)).rejects.toMatchObject({
      code: 'not-found',
    })
    expect(rowCounts(db)).toEqual({ datasets: 0, items: 0, skipped: 0 })
  })

  it('fails with no-images, and leaves nothing, when no file at all can be read', async () => {
    const dir = tempDir()
    await images.writeTruncated(dir, 'a.png', 'png')
    images.writeText(dir, 'b.png')
    const { store, db } = openStore()
    await expect(importDataset(store, [dir], baseOptions)).rejects.toMatchObject({
      code: 'no-images',
      message: expect.stringContaining('the file is truncated or damaged (1 file)'),
    })
    expect(rowCounts(db)).toEqual({ datasets: 0, items: 0, skipped: 0 })
  })

  it('cancelled after items were stored: rejects with cancelled and leaves no dataset, items or skipped rows', async () => {
    const dir = tempDir()
    writeIdxImages(dir, 'many-images-idx3-ubyte', { count: 3000, height: 8, width: 8 })
    images.writeText(dir, 'note.txt')
    const { store, db } = openStore()
    const controller = new AbortController()
    let storedWhenCancelled = 0
    const hooked = storeWithHook(store, (stored) => {
      storedWhenCancelled ||= stored
      controller.abort()
    })
    await expect(
      importDataset(hooked, [dir], baseOptions, { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'cancelled',
    })
    expect(storedWhenCancelled).toBeGreaterThan(0)
    expect(rowCounts(db)).toEqual({ datasets: 0, items: 0, skipped: 0 })
  })

  it('cancelled while images are decoding: nothing is left', async () => {
    const dir = await folderOfImages(120)
    const { store, db } = openStore()
    const controller = new AbortController()
    const events: Progress[] = []
    const onProgress = (p: Progress) => {
      events.push(p)
      if (p.phase === 'decoding') controller.abort()
    }
    await expect(
      importDataset(store, [dir], baseOptions, { signal: controller.signal, onProgress }),
    ).rejects.toMatchObject({
      code: 'cancelled',
    })
    expect(events.at(-1)!.done).toBeLessThan(120)
    expect(rowCounts(db)).toEqual({ datasets: 0, items: 0, skipped: 0 })
  })

  it('removes the half-made dataset when storing fails, and rethrows that failure', async () => {
    const dir = tempDir()
    writeIdxImages(dir, 'x-images-idx3-ubyte', { count: 1200, height: 8, width: 8 })
    const { store, db } = openStore()
    let calls = 0
    const failing = storeWithHook(store, () => {
      if (++calls === 2) throw new Error('disk unplugged')
    })
    await expect(importDataset(failing, [dir], baseOptions)).rejects.toThrow('disk unplugged')
    expect(rowCounts(db)).toEqual({ datasets: 0, items: 0, skipped: 0 })
  })

  it('reports progress through the phases, throttled, until done reaches total', async () => {
    const dir = await folderOfImages(30)
    images.writeText(dir, 'skip-me.txt')
    const events: Progress[] = []
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions, {
      onProgress: (p) => events.push(p),
    })
    const phases = [...new Set(events.map((e) => e.phase))]
    expect(phases).toEqual(['scanning', 'decoding', 'saving'])
    const last = events.at(-1)!
    expect(last).toMatchObject({ phase: 'saving', done: 31, total: 31, skipped: 1 })
    expect(last.rate).toBeGreaterThan(0)
    const decoding = events.filter((e) => e.phase === 'decoding')
    // about 10 a second at most, plus the ones at phase changes
    expect(decoding.length).toBeLessThanOrEqual(Math.ceil(result.seconds * 10) + 2)
    for (let i = 1; i < decoding.length; i++)
      expect(decoding[i].done).toBeGreaterThanOrEqual(decoding[i - 1].done)
  })

  it('names the dataset after the dropped folder, or counts the files', async () => {
    const dir = tempDir()
    const a = await images.writeImage(dir, 'a.png', 4, 4)
    const b = await images.writeImage(dir, 'b.png', 4, 4)
    const { store } = openStore()
    expect(store.get((await importDataset(store, [a, b], baseOptions)).datasetId).name).toBe(
      '2 files',
    )
    expect(store.get((await importDataset(store, [a], baseOptions)).datasetId).name).toBe('a.png')
    const named = await importDataset(store, [a], { ...baseOptions, name: 'Mine' })
    expect(store.get(named.datasetId).name).toBe('Mine')
  })

  it.skipIf(process.getuid?.() === 0)('lists an unreadable file as permission denied', async () => {
    const dir = tempDir()
    await images.writeImage(dir, 'ok.png', 4, 4)
    const locked = await images.writeImage(dir, 'locked.png', 4, 4)
    chmodSync(locked, 0o000)
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.skipped).toEqual([{ path: locked, reason: 'permission denied' }])
  })

  it('maps file system errors to reasons (root can read anything, so this is checked directly too)', () => {
    const error = (code: string) => Object.assign(new Error(code), { code })
    expect(fsReason(error('EACCES'))).toBe('permission denied')
    expect(fsReason(error('EPERM'))).toBe('permission denied')
    expect(fsReason(error('ENOENT'))).toBe('the file disappeared before it could be read')
    expect(fsReason(new Error('not from fs'))).toBeNull()
  })
})
