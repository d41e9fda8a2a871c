// A cancel reaches an import the way a user's does: as a message from the UI, handled between
// other work on the event loop, never inside the import's own callbacks.
import { describe, expect, it } from 'vitest'
import { importDataset } from '../../../../main/core/datasets/import'
import { writeIdxImages, writeNpy } from '../../../fixtures/arrays'
import { tempDir } from '../../../helpers/temp'
import { baseOptions, openStore } from './workspace'

const count = (db: ReturnType<typeof openStore>['db'], table: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

describe('cancelling an array import', () => {
  const arrays = {
    IDX: (dir: string) =>
      writeIdxImages(dir, 'many-images-idx3-ubyte', { count: 20_000, height: 8, width: 8 }),
    '.npy': (dir: string) =>
      writeNpy(dir, 'many.npy', {
        descr: '|u1',
        shape: [20_000, 8, 8],
        values: new Uint8Array(20_000 * 64).map((_, i) => i % 251),
      }),
  }
  for (const [kind, write] of Object.entries(arrays))
    it(`${kind}: a cancel sent while its items are stored leaves no dataset`, async () => {
      const file = write(tempDir())
      const { store, db } = openStore()
      const controller = new AbortController()
      // Once the first items are stored, the user presses Cancel: the message comes in as the
      // next event would, between other work, never inside the import's own calls.
      const hooked = Object.create(store) as typeof store
      hooked.addItems = (id, first, items) => {
        if (first === 0) setTimeout(() => controller.abort(), 0)
        return store.addItems(id, first, items)
      }
      await expect(
        importDataset(hooked, [file], baseOptions, { signal: controller.signal }),
      ).rejects.toMatchObject({ code: 'cancelled' })
      expect([count(db, 'datasets'), count(db, 'items')]).toEqual([0, 0])
    })
})
