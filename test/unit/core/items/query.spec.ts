// items.query over a real workspace: every column, sort and filter, and the matching positions.
import { describe, expect, it } from 'vitest'
import { call } from '../../../helpers/studio'
import { query, studioWithItems, withRunAndClustering } from './studio-items'
import { splitIndices } from '../../../../main/core/shared/split'

describe('items.query', () => {
  it('answers a page with every column, and the total', async () => {
    const { studio, datasetId } = studioWithItems(20)
    const { runId, clusteringId, itemIds } = withRunAndClustering(studio, datasetId)
    await call(studio, 'items.tag', { datasetId, ids: [itemIds[3]], tag: 'odd one' })
    const page = await query(studio, { datasetId, runId, clusteringId, offset: 2, limit: 3 })
    expect(page.total).toBe(20)
    expect(page.matched).toBe(20)
    const validation = new Set(splitIndices(20, 0.25, 3).validation)
    expect(page.rows[1]).toEqual({
      id: itemIds[3],
      position: 3,
      path: '3.png',
      name: '3.png',
      label: '3',
      split: validation.has(3) ? 'validation' : 'train',
      error: Math.fround(0.03),
      cluster: 1,
      clusterName: 'Cluster 2',
      certainty: 0.75,
      tags: ['odd one'],
    })
    expect(page.rows.map((r) => r.position)).toEqual([2, 3, 4])
    expect(page.positions).toBeNull()
    const splits = await query(studio, { datasetId, runId, filter: { splits: ['validation'] } })
    expect(splits.matched).toBe(5)
  })

  it('sorts by any column, the empty ones last, ties in dataset order', async () => {
    const { studio, datasetId } = studioWithItems(20)
    const { runId, clusteringId } = withRunAndClustering(studio, datasetId)
    const by = async (column: string, descending = false) =>
      (
        await query(studio, {
          datasetId,
          runId,
          clusteringId,
          sort: { column, descending },
          limit: 20,
        })
      ).rows.map((r) => r.position)
    expect(await by('error', true)).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i))
    // labels i % 10 as text: "0" (0, 10), "1" (1, 11)…
    expect((await by('label')).slice(0, 4)).toEqual([0, 10, 1, 11])
    // paths sort as numbers read: 2.png before 10.png
    expect((await by('path')).slice(0, 3)).toEqual([0, 1, 2])
    expect((await by('cluster')).slice(0, 3)).toEqual([0, 2, 4])
    expect((await by('certainty', true)).slice(0, 2)).toEqual([3, 7])
    await call(studio, 'items.tag', {
      datasetId,
      ids: [studio.datasets.items(datasetId, 0, 20).ids[9]],
      tag: 'a',
    })
    expect((await by('tags'))[0]).toBe(9)
    expect((await by('tags', true))[0]).toBe(9) // untagged stay last either way
  })

  it('filters by text, label, tag, ranges, clusters, ids, positions and a saved selection', async () => {
    const { studio, datasetId } = studioWithItems(20)
    const { runId, clusteringId, itemIds } = withRunAndClustering(studio, datasetId)
    const matched = async (filter: Record<string, unknown>) =>
      (await query(studio, { datasetId, runId, clusteringId, filter, matching: true, limit: 0 }))
        .positions
    expect(Array.from((await matched({ text: '1' }))!)).toEqual([
      1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ])
    expect(Array.from((await matched({ labels: ['2', '3'] }))!)).toEqual([2, 3, 12, 13])
    expect(Array.from((await matched({ error: { min: 0.05, max: 0.07 } }))!)).toEqual([5, 6, 7])
    expect(Array.from((await matched({ certainty: { min: 0.5 }, clusters: [0] }))!)).toEqual([
      2, 6, 10, 14, 18,
    ])
    expect(Array.from((await matched({ ids: [itemIds[4], itemIds[8]] }))!)).toEqual([4, 8])
    expect(Array.from((await matched({ positions: [1, 2, 3], labels: ['2'] }))!)).toEqual([2])
    await call(studio, 'items.tag', { datasetId, ids: [itemIds[5], itemIds[6]], tag: 'Blurry' })
    expect(Array.from((await matched({ tags: ['Blurry'] }))!)).toEqual([5, 6])
    expect(Array.from((await matched({ text: 'blur' }))!)).toEqual([5, 6])
    const saved = (await call(studio, 'selections.save', {
      datasetId,
      name: 'picked',
      ids: [itemIds[0], itemIds[6], itemIds[9]],
    })) as { id: number }
    expect(Array.from((await matched({ selectionId: saved.id, tags: ['Blurry'] }))!)).toEqual([6])
  })

  it('refuses what it cannot answer, saying why', async () => {
    const { studio, datasetId } = studioWithItems(10)
    await expect(query(studio, { datasetId, filter: { error: { max: 1 } } })).rejects.toThrow(
      /error needs a run/,
    )
    await expect(query(studio, { datasetId: 999 })).rejects.toThrow(/not-found/)
    await expect(query(studio, { datasetId, clusteringId: 1 })).rejects.toThrow(/Give the run/)
    await expect(
      query(studio, { datasetId, filter: { error: { min: 2, max: 1 } } }),
    ).rejects.toThrow(/min is above max/)
  })
})
