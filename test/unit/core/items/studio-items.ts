// A Studio over a workspace of labelled items, with a run's codes and a clustering stored the way
// the run and the clustering process store them: the items table's starting point.
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { Studio } from '../../../../main/core/service'
import { DatasetsStore } from '../../../../main/core/store/datasets-store'
import { openWorkspace } from '../../../../main/core/store/workspace'
import { tempWorkspaceFile } from '../../../helpers/temp'
import { call } from '../../../helpers/studio'

const resources = join(import.meta.dirname, '..', '..', '..', '..', 'resources')

/** A closed workspace with one dataset of `count` 2 × 2 grey items, `i.png` labelled `i % 10`. */
function workspaceWithItems(count: number): string {
  const file = tempWorkspaceFile()
  const db = openWorkspace(file)
  const store = new DatasetsStore(db)
  const id = store.create({
    name: 'items',
    width: 2,
    height: 2,
    channels: 'grey',
    options: { size: 2, channels: 'grey', fit: 'pad', background: 'black', maxPixels: 1e8 },
    sources: [],
  })
  for (let from = 0; from < count; from += 10_000)
    store.addItems(
      id,
      from,
      Array.from({ length: Math.min(10_000, count - from) }, (_, k) => ({
        path: `/data/set/${from + k}.png`,
        label: String((from + k) % 10),
        pixels: Uint8Array.of(from + k, 0, 0, 255),
        contentHash: null,
        duplicateOf: null,
      })),
    )
  store.markReady(id)
  db.close()
  return file
}

export function studioWithItems(count = 20) {
  const studio = new Studio({
    workspaceFile: workspaceWithItems(count),
    resourcesDir: resources,
    shell: 'test',
    version: 'test',
  })
  onTestFinished(() => studio.close())
  const [dataset] = studio.datasets.list()
  return { studio, datasetId: dataset.id }
}

/** A run of the dataset with codes whose error at position i is i / 100, and a k = 2 clustering. */
export function withRunAndClustering(studio: Studio, datasetId: number) {
  const count = studio.datasets.get(datasetId).items
  const runId = studio.runs.create({
    datasetId,
    name: 'r',
    config: { hidden: [8], latent: 2, validationSplit: 0.25, seed: 3 },
  })
  studio.runs.finish(runId, { status: 'completed' })
  const itemIds = studio.datasets.items(datasetId, 0, count).ids
  studio.runs.saveEmbeddings(runId, {
    codes: new Float32Array(count * 2),
    dims: 2,
    errors: Float32Array.from({ length: count }, (_, i) => i / 100),
    itemIds,
  })
  const clusteringId = studio.clusterings.create(runId, 'n2d', { k: 2, nInit: 1, seed: 1 })
  studio.clusterings.complete(clusteringId, {
    assignments: Int32Array.from({ length: count }, (_, i) => i % 2),
    distances: new Float32Array(count),
    certainty: Float32Array.from({ length: count }, (_, i) => (i % 4) / 4),
    metrics: {
      sizes: [count / 2, count / 2],
      inertia: 1,
      silhouette: 0,
      silhouetteSample: count,
      acc: null,
      nmi: null,
      ari: null,
      confusion: null,
    },
    seconds: 1,
  })
  return { runId, clusteringId, itemIds }
}

export const query = (studio: Studio, params: Record<string, unknown>) =>
  call(studio, 'items.query', params) as Promise<{
    total: number
    matched: number
    rows: Record<string, unknown>[]
    positions: Int32Array | null
  }>
