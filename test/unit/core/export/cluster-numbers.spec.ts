// A cluster export numbers clusters as the app shows them: from 1, so the number and the default
// name agree ("Cluster 2" is cluster 2), in CSV and in JSON alike.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportClustersTable } from '../../../../main/core/export/clusters'
import { defaultClusterNames, type Clustering } from '../../../../main/core/shared/clusterings'
import { tempDir } from '../../../helpers/temp'

const source = {
  clustering: {
    names: defaultClusterNames(2),
    assignments: Int32Array.from([1, 0, 1]),
    distances: Float32Array.from([0.5, 0.25, 1]),
    certainty: null,
  } as unknown as Clustering,
  datasetId: 1,
  facets: { paths: ['a.png', 'b.png', 'c.png'], labels: Int32Array.of(-1, -1, -1), labelNames: [] },
} as unknown as Parameters<typeof exportClustersTable>[2]

describe('cluster numbers in exports', () => {
  it('writes the number the name says, in CSV and JSON', async () => {
    const dir = tempDir()
    await exportClustersTable(join(dir, 'c.csv'), 'csv', source)
    const rows = readFileSync(join(dir, 'c.csv'), 'utf8').trim().split('\r\n').slice(1)
    expect(rows.map((row) => row.split(',').slice(0, 3))).toEqual([
      ['a.png', '2', 'Cluster 2'],
      ['b.png', '1', 'Cluster 1'],
      ['c.png', '2', 'Cluster 2'],
    ])
    await exportClustersTable(join(dir, 'c.json'), 'json', source)
    const json = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) as {
      clusters: { cluster: number; name: string }[]
      items: { cluster: number; name: string }[]
    }
    expect(json.clusters).toEqual([
      { cluster: 1, name: 'Cluster 1' },
      { cluster: 2, name: 'Cluster 2' },
    ])
    for (const item of json.items)
      expect(json.clusters.find((c) => c.cluster === item.cluster)!.name).toBe(item.name)
  })
})
