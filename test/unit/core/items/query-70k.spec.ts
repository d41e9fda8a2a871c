// items.query on 70,000 items (Fashion-MNIST's size): measured, and held to a budget.
import { describe, expect, it } from 'vitest'
import { call } from '../../../helpers/studio'
import { query, studioWithItems, withRunAndClustering } from './studio-items'

describe('items.query on 70,000 items', () => {
  it(
    'reads the columns once, then sorts and filters in milliseconds',
    { timeout: 120_000 },
    async () => {
      const { studio, datasetId } = studioWithItems(70_000)
      const { runId, clusteringId, itemIds } = withRunAndClustering(studio, datasetId)
      await call(studio, 'items.tag', {
        datasetId,
        ids: Array.from(itemIds.subarray(0, 5000)),
        tag: 'seen',
      })
      const params = {
        datasetId,
        runId,
        clusteringId,
        sort: { column: 'error', descending: true },
        filter: { labels: ['3', '4'], error: { min: 10 }, tags: ['seen'], text: '3' },
        limit: 100,
        matching: true,
      }
      const timed = async () => {
        const start = performance.now()
        const result = await query(studio, params)
        return { ms: performance.now() - start, result }
      }
      const cold = await timed()
      const warm = await timed()
      const pathSort = performance.now()
      await query(studio, { datasetId, sort: { column: 'path' }, limit: 100 })
      const pathMs = performance.now() - pathSort
      console.log(
        `items.query on 70,000 items: ${cold.ms.toFixed(0)} ms cold (columns read), ${warm.ms.toFixed(1)} ms warm, sort by path ${pathMs.toFixed(0)} ms`,
      )
      expect(warm.result.matched).toBe(cold.result.matched)
      expect(cold.result.matched).toBeGreaterThan(0)
      expect(warm.ms).toBeLessThan(250)
      expect(cold.ms).toBeLessThan(3000)
    },
  )
})
