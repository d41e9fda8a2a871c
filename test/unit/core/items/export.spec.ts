// items.export: the items a query keeps, as JSON with every column, or copied into folders by
// cluster; nothing to export is refused.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { call } from '../../../helpers/studio'
import { tempDir } from '../../../helpers/temp'
import { studioWithItems, withRunAndClustering } from './studio-items'

describe('items.export', () => {
  it('writes JSON in the query order, clusters numbered from 1', async () => {
    const { studio, datasetId } = studioWithItems(10)
    const { runId, clusteringId, itemIds } = withRunAndClustering(studio, datasetId)
    const out = join(tempDir(), 'picked.json')
    await call(studio, 'items.export', {
      datasetId,
      runId,
      clusteringId,
      filter: { ids: [itemIds[2], itemIds[5]] },
      sort: { column: 'error', descending: true },
      format: 'json',
      out,
    })
    const { items } = JSON.parse(readFileSync(out, 'utf8')) as { items: Record<string, unknown>[] }
    expect(items.map((i) => i.id)).toEqual([itemIds[5], itemIds[2]])
    expect(items[0]).toMatchObject({
      path: '/data/set/5.png',
      label: '5',
      cluster: 2,
      clusterName: 'Cluster 2',
      certainty: 0.25,
      tags: [],
    })
    expect(items[0].error).toBeCloseTo(0.05)
  })

  it('copies the images into one folder per cluster', async () => {
    const { studio, datasetId } = studioWithItems(10)
    const { runId, clusteringId } = withRunAndClustering(studio, datasetId)
    const out = join(tempDir(), 'by-cluster')
    const { files } = (await call(studio, 'items.export', {
      datasetId,
      runId,
      clusteringId,
      filter: { labels: ['1', '2', '3'] },
      format: 'folders',
      groupBy: 'cluster',
      out,
    })) as { files: string[] }
    expect(files).toHaveLength(3)
    expect(readdirSync(join(out, 'Cluster 1'))).toEqual(['2.png.png'])
    expect(readdirSync(join(out, 'Cluster 2')).sort()).toEqual(['1.png.png', '3.png.png'])
    await expect(
      call(studio, 'items.export', {
        datasetId,
        filter: { labels: ['none'] },
        out: join(tempDir(), 'x.csv'),
      }),
    ).rejects.toThrow(/No item matches/)
  })
})
