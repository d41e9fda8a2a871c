import { describe, expect, it } from 'vitest'
import { openWorkspace, schemaVersion } from '../../../../main/core/store/workspace'
import { migrations } from '../../../../main/core/store/migrations'
import { ClusteringsStore } from '../../../../main/core/store/clusterings-store'
import { tempWorkspaceFile } from '../../../helpers/temp'

const metrics = {
  sizes: [2, 1],
  inertia: 1,
  silhouette: 0.5,
  silhouetteSample: 3,
  acc: null,
  nmi: null,
  ari: null,
  confusion: null,
}

describe('ClusteringsStore', () => {
  it('keeps a clustering made before certainties were stored, with none, and stores them now', () => {
    const file = tempWorkspaceFile()
    // schema 6: clusterings without a certainty column, written as that version wrote them
    const old = openWorkspace(file, { migrations: migrations.slice(0, 6) })
    expect(schemaVersion(old)).toBe(6)
    const datasetId = old
      .prepare(
        `INSERT INTO datasets (name, status, width, height, channels, fit, options, sources)
         VALUES ('d', 'ready', 2, 2, 'grey', 'pad', '{}', '[]')`,
      )
      .run().lastInsertRowid
    const runId = old
      .prepare(
        `INSERT INTO runs (dataset_id, name, config, status) VALUES (?, 'r', '{}', 'completed')`,
      )
      .run(datasetId).lastInsertRowid
    const before = old
      .prepare(
        `INSERT INTO clusterings (run_id, method, params, status, k, assignments, distances, metrics)
         VALUES (?, 'kmeans', '{"k":2,"seed":0}', 'completed', 2, ?, ?, ?)`,
      )
      .run(
        runId,
        Buffer.from(Int32Array.from([0, 0, 1]).buffer),
        Buffer.from(Float32Array.from([0.5, 1, 0]).buffer),
        JSON.stringify(metrics),
      ).lastInsertRowid
    old.close()

    const db = openWorkspace(file)
    expect(schemaVersion(db)).toBe(migrations.length)
    const store = new ClusteringsStore(db)
    const kept = store.withArrays(Number(before))
    expect(Array.from(kept.assignments!)).toEqual([0, 0, 1])
    expect(kept.certainty).toBeNull()

    const id = store.create(Number(runId), 'n2d', { k: 2, nInit: 10, seed: 0, runs: 3 })
    const certainty = Float32Array.from([1, 2 / 3, 1 / 3])
    store.complete(id, {
      assignments: Int32Array.from([1, 1, 0]),
      distances: Float32Array.from([0, 0.25, 0]),
      certainty,
      metrics,
      seconds: 1,
    })
    expect(Array.from(store.withArrays(id).certainty!)).toEqual(Array.from(certainty))
    db.close()
  })
})
