// Tags, relabelling (undoable, losing nothing), label renames and saved selections, through the
// contract on a real workspace.
import { describe, expect, it } from 'vitest'
import { call } from '../../../helpers/studio'
import { studioWithItems } from './studio-items'
import type { RelabelResult, Selection, SelectionSummary } from '../../../../main/core/shared/items'

describe('tags', () => {
  it('tags and untags items, counts them, and refuses items of another dataset', async () => {
    const { studio, datasetId } = studioWithItems(10)
    const ids = Array.from(studio.datasets.items(datasetId, 0, 10).ids)
    expect(
      await call(studio, 'items.tag', { datasetId, ids: ids.slice(0, 3), tag: 'keep' }),
    ).toEqual({ changed: 3 })
    // tagging again changes nothing
    expect(
      await call(studio, 'items.tag', { datasetId, ids: ids.slice(0, 4), tag: 'keep' }),
    ).toEqual({ changed: 1 })
    await call(studio, 'items.tag', { datasetId, ids: [ids[9]], tag: 'bad' })
    expect(await call(studio, 'items.tags', { datasetId })).toEqual([
      { tag: 'bad', count: 1 },
      { tag: 'keep', count: 4 },
    ])
    expect(
      await call(studio, 'items.untag', { datasetId, ids: [ids[0], ids[9]], tag: 'keep' }),
    ).toEqual({ changed: 1 })
    await expect(call(studio, 'items.tag', { datasetId, ids: [99_999], tag: 'x' })).rejects.toThrow(
      /not-found: Dataset \d+ has no item 99999/,
    )
  })
})

describe('relabelling', () => {
  it('relabels a list of items, answers the undo, and the undo restores every label', async () => {
    const { studio, datasetId } = studioWithItems(10)
    const before = studio.datasets.items(datasetId, 0, 10)
    const ids = Array.from(before.ids)
    const done = (await call(studio, 'items.relabel', {
      datasetId,
      changes: [{ ids: [ids[1], ids[2], ids[3]], label: 'cat' }],
    })) as RelabelResult
    expect(done.changed).toBe(3)
    expect(studio.datasets.items(datasetId, 0, 10).labels.slice(0, 5)).toEqual([
      '0',
      'cat',
      'cat',
      'cat',
      '4',
    ])
    // the dataset's label counts follow
    expect(studio.datasets.get(datasetId).labels).toMatchObject({ cat: 3, 4: 1 })
    expect(studio.datasets.get(datasetId).labels['1']).toBeUndefined()
    const undone = (await call(studio, 'items.relabel', {
      datasetId,
      changes: done.undo,
    })) as RelabelResult
    expect(undone.changed).toBe(3)
    expect(studio.datasets.items(datasetId, 0, 10).labels).toEqual(before.labels)
    // an item may lose its label, and get it back
    const cleared = (await call(studio, 'items.relabel', {
      datasetId,
      changes: [{ ids: [ids[0]], label: null }],
    })) as RelabelResult
    expect(cleared.undo).toEqual([{ label: '0', ids: [ids[0]] }])
  })

  it('renames a label on every item, merges into an existing one, and undoes the merge', async () => {
    const { studio, datasetId } = studioWithItems(20)
    const renamed = (await call(studio, 'datasets.renameLabel', {
      id: datasetId,
      from: '7',
      to: 'Sneaker',
    })) as RelabelResult
    expect(renamed.changed).toBe(2)
    expect(studio.datasets.get(datasetId).labels.Sneaker).toBe(2)
    const merged = (await call(studio, 'datasets.renameLabel', {
      id: datasetId,
      from: '8',
      to: 'Sneaker',
    })) as RelabelResult
    expect(studio.datasets.get(datasetId).labels.Sneaker).toBe(4)
    await call(studio, 'items.relabel', { datasetId, changes: merged.undo })
    expect(studio.datasets.get(datasetId).labels).toMatchObject({ Sneaker: 2, 8: 2 })
    await expect(
      call(studio, 'datasets.renameLabel', { id: datasetId, from: 'nope', to: 'x' }),
    ).rejects.toThrow(/No item of dataset \d+ is labelled “nope”/)
  })
})

describe('saved selections', () => {
  it('saves, lists, gets, renames, replaces and deletes a selection, optionally tagging it', async () => {
    const { studio, datasetId } = studioWithItems(10)
    const ids = Array.from(studio.datasets.items(datasetId, 0, 10).ids)
    const saved = (await call(studio, 'selections.save', {
      datasetId,
      name: 'outliers',
      ids: [ids[7], ids[2], ids[7]],
      tag: 'outlier',
    })) as SelectionSummary
    expect(saved).toMatchObject({ datasetId, name: 'outliers', count: 2 })
    expect(await call(studio, 'items.tags', { datasetId })).toEqual([{ tag: 'outlier', count: 2 }])
    const got = (await call(studio, 'selections.get', { id: saved.id })) as Selection
    expect(Array.from(got.ids)).toEqual([ids[2], ids[7]])
    expect(Array.from(got.positions)).toEqual([2, 7])
    await expect(
      call(studio, 'selections.save', { datasetId, name: 'outliers', ids: [ids[1]] }),
    ).rejects.toThrow(/already has a selection named “outliers”/)
    const replaced = (await call(studio, 'selections.save', {
      datasetId,
      name: 'outliers',
      ids: [ids[1]],
      replace: true,
    })) as SelectionSummary
    expect(replaced).toMatchObject({ id: saved.id, count: 1 })
    await call(studio, 'selections.save', { datasetId, name: 'another', ids: [] })
    const renamed = (await call(studio, 'selections.rename', {
      id: saved.id,
      name: 'odd ones',
    })) as SelectionSummary
    expect(renamed.name).toBe('odd ones')
    await expect(
      call(studio, 'selections.rename', { id: saved.id, name: 'another' }),
    ).rejects.toThrow(/already has a selection named/)
    const listed = (await call(studio, 'selections.list', { datasetId })) as SelectionSummary[]
    expect(listed.map((s) => s.name)).toEqual(['another', 'odd ones'])
    expect(await call(studio, 'selections.delete', { id: saved.id })).toEqual({ deleted: true })
    await expect(call(studio, 'selections.get', { id: saved.id })).rejects.toThrow(/not-found/)
  })

  it('goes with its dataset when the dataset is deleted', async () => {
    const { studio, datasetId } = studioWithItems(4)
    const ids = Array.from(studio.datasets.items(datasetId, 0, 4).ids)
    const saved = (await call(studio, 'selections.save', {
      datasetId,
      name: 's',
      ids,
    })) as SelectionSummary
    await call(studio, 'items.tag', { datasetId, ids, tag: 't' })
    await call(studio, 'datasets.delete', { id: datasetId })
    expect(studio.db.prepare('SELECT count(*) AS n FROM item_tags').get()).toEqual({ n: 0 })
    await expect(call(studio, 'selections.get', { id: saved.id })).rejects.toThrow(/not-found/)
  })
})
