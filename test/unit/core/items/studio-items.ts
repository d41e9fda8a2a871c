// A Studio over a workspace of labelled items, with a run's codes and a clustering stored the way
// the run and the clustering process store them: the items table's starting point.
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { Studio } from '../../../../main/core/service'
import { workspaceWithData } from '../../../helpers/workspace'
import { call } from '../../../helpers/studio'

const resources = join(import.meta.dirname, '..', '..', '..', '..', 'resources')

export function studioWithItems(count = 20) {
  const studio = new Studio({
    workspaceFile: workspaceWithData(count),
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
