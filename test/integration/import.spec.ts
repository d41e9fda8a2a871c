// Imports the real Fashion-MNIST files when this machine has them.
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fashionClassNames } from '../../main/core/datasets/idx'
import { importDataset } from '../../main/core/datasets/import'
import { DatasetsStore } from '../../main/core/store/datasets-store'
import { ItemsStore } from '../../main/core/store/items-store'
import { openWorkspace } from '../../main/core/store/workspace'
import { tempWorkspaceFile } from '../helpers/temp'

const fashionMnist = '/usr/share/datasets/fashion-mnist/'
const available = existsSync(fashionMnist)

describe('Fashion-MNIST import', () => {
  it(`imports ${fashionMnist}: train and t10k, 70,000 items, 7,000 of each of the 10 classes, named by set`, async ({
    skip,
  }) => {
    skip(!available, `${fashionMnist} is not on this machine`)
    const db = openWorkspace(tempWorkspaceFile())
    try {
      const store = new DatasetsStore(db)
      const result = await importDataset(store, [fashionMnist], {
        size: 28,
        channels: 'grey',
        fit: 'pad',
        background: 'black',
        maxPixels: 100_000_000,
      })
      expect(result.items).toBe(70_000)
      expect(result.skipped).toEqual([])
      expect(result.labels).toEqual(
        Object.fromEntries(fashionClassNames.map((name) => [name, 7_000])),
      )
      expect(result.sets).toEqual({ train: 60_000, test: 10_000 })
      const summary = store.get(result.datasetId)
      expect(summary).toMatchObject({ items: 70_000, width: 28, height: 28, channels: 'grey' })
      expect(summary.sets).toEqual({ train: 60_000, test: 10_000 })
      const tags = new ItemsStore(db).tagsByPosition(result.datasetId)
      expect([tags.get(0), tags.get(9_999), tags.get(10_000), tags.get(69_999)]).toEqual([
        ['test'],
        ['test'],
        ['train'],
        ['train'],
      ])
      const page = store.items(result.datasetId, 0, 2)
      expect(page.paths[0]).toMatch(/t10k-images-idx3-ubyte\.gz#0$/)
      expect(page.pixels.length).toBe(2 * 28 * 28)
      console.info(`Fashion-MNIST: 70,000 items in ${result.seconds.toFixed(2)} s`)
    } finally {
      db.close()
    }
  })
})
