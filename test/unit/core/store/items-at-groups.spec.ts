// The batched item read the Clusters view's cards use (datasets.itemsAtGroups): one call, a page
// per group of positions, each in the order asked, the same items itemsAt gives one by one.
import { describe, expect, it } from 'vitest'
import { paramSchemas } from '../../../../main/core/contract'
import { DatasetsStore } from '../../../../main/core/store/datasets-store'
import { openWorkspace } from '../../../../main/core/store/workspace'
import { tempWorkspaceFile } from '../../../helpers/temp'

const options = {
  size: 2,
  channels: 'grey',
  fit: 'pad',
  background: 'black',
  maxPixels: 1e8,
} as const

/** A 2×2 grey dataset of `n` items whose pixels are all the item's position. */
function dataset(n: number): { store: DatasetsStore; id: number } {
  const store = new DatasetsStore(openWorkspace(tempWorkspaceFile()))
  const id = store.create({
    name: 'd',
    width: 2,
    height: 2,
    channels: 'grey',
    options,
    sources: [],
  })
  store.addItems(
    id,
    0,
    Array.from({ length: n }, (_, i) => ({
      path: `/images/${i}.png`,
      label: i % 2 ? 'odd' : 'even',
      pixels: new Uint8Array(4).fill(i),
      contentHash: null,
      duplicateOf: null,
    })),
  )
  store.markReady(id)
  return { store, id }
}

describe('DatasetsStore.itemsAtGroups', () => {
  it('gives one page per group, each in the order asked, as itemsAt gives them', () => {
    const { store, id } = dataset(10)
    const groups = [[7, 2, 9], [], [4], [2, 2]]
    const pages = store.itemsAtGroups(id, groups)
    expect(pages).toHaveLength(4)
    pages.forEach((page, g) => {
      const alone = store.itemsAt(id, groups[g])
      expect(page.paths).toEqual(groups[g].map((p) => `/images/${p}.png`))
      expect(Array.from(page.ids)).toEqual(Array.from(alone.ids))
      expect(page.labels).toEqual(alone.labels)
      expect(page.pixels).toEqual(alone.pixels)
      expect(page.total).toBe(10)
    })
    // the pixels are each item's own: position p is all p
    expect(Array.from(pages[0].pixels)).toEqual([7, 7, 7, 7, 2, 2, 2, 2, 9, 9, 9, 9])
    expect(pages[1].ids).toHaveLength(0)
  })

  it('refuses a position past the end, naming the dataset', () => {
    const { store, id } = dataset(3)
    expect(() => store.itemsAtGroups(id, [[0], [3]])).toThrow(
      `Dataset ${id} has no item at one of these positions.`,
    )
  })
})

describe('the datasets.itemsAtGroups params', () => {
  const schema = paramSchemas['datasets.itemsAtGroups']

  it('takes groups of positions', () => {
    expect(schema.parse({ id: 1, groups: [[0, 1], []] })).toEqual({ id: 1, groups: [[0, 1], []] })
  })

  it('refuses more than 5000 positions in all, and negative positions', () => {
    const many = Array.from({ length: 6 }, () => Array.from({ length: 900 }, (_, i) => i))
    const tooMany = schema.safeParse({ id: 1, groups: many })
    expect(tooMany.success).toBe(false)
    expect(tooMany.error?.issues[0].message).toBe('At most 5000 positions in all.')
    expect(schema.safeParse({ id: 1, groups: [[-1]] }).success).toBe(false)
  })
})
