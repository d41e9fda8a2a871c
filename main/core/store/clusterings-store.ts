// Clusterings in the workspace: one row each, its assignments and distances as typed-array BLOBs.
import { StudioError } from '../errors'
import {
  defaultClusterNames,
  type Clustering,
  type ClusteringMethod,
  type ClusteringMetrics,
  type ClusteringParams,
  type ClusteringStatus,
  type ClusteringSummary,
  type KSweep,
} from '../shared/clusterings'
import type { Workspace } from './workspace'

interface Row {
  id: number
  run_id: number
  method: ClusteringMethod
  params: string
  status: ClusteringStatus
  error: string | null
  k: number
  names: string | null
  metrics: string | null
  seconds: number | null
  created_at: string
}

const columns = 'id, run_id, method, params, status, error, k, names, metrics, seconds, created_at'
const blob = (values: Int32Array | Float32Array) =>
  Buffer.from(values.buffer, values.byteOffset, values.byteLength)
const copy = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)

export class ClusteringsStore {
  private readonly statements

  /** `owner`: this process's row in owners (owners.ts), named by the clusterings it starts */
  constructor(
    db: Workspace,
    private readonly owner: number | null = null,
  ) {
    this.statements = {
      create: db.prepare(
        `INSERT INTO clusterings (run_id, method, params, status, k, owner)
         VALUES (?, ?, ?, 'running', ?, ?)`,
      ),
      get: db.prepare(`SELECT ${columns} FROM clusterings WHERE id = ?`),
      arrays: db.prepare(`SELECT assignments, distances, certainty FROM clusterings WHERE id = ?`),
      list: db.prepare(`SELECT ${columns} FROM clusterings WHERE run_id = ? ORDER BY id DESC`),
      complete: db.prepare(
        `UPDATE clusterings SET status = 'completed', error = NULL, assignments = ?, distances = ?,
         certainty = ?, metrics = ?, seconds = ? WHERE id = ?`,
      ),
      finish: db.prepare(
        `UPDATE clusterings SET status = ?, error = ? WHERE id = ? AND status = 'running'`,
      ),
      rename: db.prepare(`UPDATE clusterings SET names = ? WHERE id = ?`),
      remove: db.prepare(`DELETE FROM clusterings WHERE id = ?`),
      running: db.prepare(`SELECT id, owner FROM clusterings WHERE status = 'running'`),
    }
  }

  create(runId: number, method: ClusteringMethod, params: ClusteringParams): number {
    const info = this.statements.create.run(
      runId,
      method,
      JSON.stringify(params),
      params.k,
      this.owner,
    )
    return Number(info.lastInsertRowid)
  }

  get(id: number): ClusteringSummary {
    const row = this.statements.get.get(id) as Row | undefined
    if (!row) throw new StudioError('not-found', `There is no clustering ${id} in this workspace.`)
    return summaryOf(row)
  }

  withArrays(id: number): Clustering {
    const summary = this.get(id)
    const row = this.statements.arrays.get(id) as {
      assignments: Buffer | null
      distances: Buffer | null
      certainty: Buffer | null
    }
    return {
      ...summary,
      assignments: row.assignments ? new Int32Array(copy(row.assignments)) : null,
      distances: row.distances ? new Float32Array(copy(row.distances)) : null,
      certainty: row.certainty ? new Float32Array(copy(row.certainty)) : null,
    }
  }

  list(runId: number): ClusteringSummary[] {
    return (this.statements.list.all(runId) as Row[]).map(summaryOf)
  }

  complete(
    id: number,
    result: {
      assignments?: Int32Array
      distances?: Float32Array
      certainty?: Float32Array
      metrics: ClusteringMetrics | KSweep
      seconds: number
    },
  ): void {
    this.statements.complete.run(
      result.assignments ? blob(result.assignments) : null,
      result.distances ? blob(result.distances) : null,
      result.certainty ? blob(result.certainty) : null,
      JSON.stringify(result.metrics),
      result.seconds,
      id,
    )
  }

  finish(id: number, status: 'failed' | 'cancelled', error: string | null): void {
    this.statements.finish.run(status, error, id)
  }

  /** Names one cluster; the others keep theirs. */
  renameCluster(id: number, cluster: number, name: string): ClusteringSummary {
    const summary = this.get(id)
    if (cluster < 0 || cluster >= summary.k)
      throw new StudioError('bad-params', `Clustering ${id} has clusters 0 to ${summary.k - 1}.`)
    const names = [...summary.names]
    names[cluster] = name
    this.statements.rename.run(JSON.stringify(names), id)
    return this.get(id)
  }

  remove(id: number): boolean {
    return this.statements.remove.run(id).changes > 0
  }

  /** Clusterings marked 'running', with the owner computing each (owners.ts). */
  running(): { id: number; owner: number | null }[] {
    return this.statements.running.all() as { id: number; owner: number | null }[]
  }
}

function summaryOf(row: Row): ClusteringSummary {
  const result = row.metrics ? (JSON.parse(row.metrics) as ClusteringMetrics | KSweep) : null
  const sweep = row.method === 'sweep' ? (result as KSweep | null) : null
  return {
    id: row.id,
    runId: row.run_id,
    method: row.method,
    params: JSON.parse(row.params) as ClusteringParams,
    status: row.status,
    error: row.error,
    k: row.k,
    names: row.names ? (JSON.parse(row.names) as string[]) : defaultClusterNames(row.k),
    metrics: row.method === 'sweep' ? null : (result as ClusteringMetrics | null),
    sweep,
    seconds: row.seconds,
    createdAt: row.created_at,
  }
}
