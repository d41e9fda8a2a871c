// Projections in the workspace: one row per (source, method, parameters), its layout as one
// float32 BLOB. Statements prepared once; each write is one statement.
import { StudioError } from '../errors'
import {
  projectionKey,
  type Projection,
  type ProjectionMethod,
  type ProjectionParams,
  type ProjectionQuality,
  type ProjectionSpace,
  type ProjectionStatus,
  type ProjectionSummary,
} from '../shared/projections'
import type { Workspace } from './workspace'

interface Row {
  id: number
  dataset_id: number
  run_id: number | null
  space: ProjectionSpace
  method: ProjectionMethod
  params: string
  status: ProjectionStatus
  error: string | null
  dims: number
  rows: number | null
  quality: string | null
  seconds: number | null
  created_at: string
}

export interface ProjectionSource {
  datasetId: number
  runId: number | null
  space: ProjectionSpace
  method: ProjectionMethod
  params: ProjectionParams
}

const columns = `id, dataset_id, run_id, space, method, params, status, error, dims, rows, quality,
  seconds, created_at`

export class ProjectionsStore {
  private readonly statements

  /** `owner`: this process's row in owners (owners.ts), named by the projections it starts */
  constructor(
    db: Workspace,
    private readonly owner: number | null = null,
  ) {
    this.statements = {
      find: db.prepare(
        `SELECT ${columns} FROM projections WHERE dataset_id = ? AND run_id IS ? AND space = ?
         AND method = ? AND params = ? ORDER BY id DESC LIMIT 1`,
      ),
      create: db.prepare(
        `INSERT INTO projections (dataset_id, run_id, space, method, params, status, dims, owner)
         VALUES (?, ?, ?, ?, ?, 'running', ?, ?)`,
      ),
      get: db.prepare(`SELECT ${columns} FROM projections WHERE id = ?`),
      coords: db.prepare(`SELECT coords FROM projections WHERE id = ?`),
      list: db.prepare(`SELECT ${columns} FROM projections WHERE dataset_id = ? ORDER BY id DESC`),
      complete: db.prepare(
        `UPDATE projections SET status = 'completed', error = NULL, rows = ?, coords = ?,
         quality = ?, seconds = ? WHERE id = ?`,
      ),
      finish: db.prepare(
        `UPDATE projections SET status = ?, error = ? WHERE id = ? AND status = 'running'`,
      ),
      remove: db.prepare(`DELETE FROM projections WHERE id = ?`),
      running: db.prepare(`SELECT id, owner FROM projections WHERE status = 'running'`),
    }
  }

  /** The stored projection of this source and parameters (completed or not), if any. */
  find(source: ProjectionSource): ProjectionSummary | null {
    const row = this.statements.find.get(
      source.datasetId,
      source.runId,
      source.space,
      source.method,
      projectionKey(source.method, source.params),
    ) as Row | undefined
    return row ? summaryOf(row) : null
  }

  create(source: ProjectionSource): number {
    const info = this.statements.create.run(
      source.datasetId,
      source.runId,
      source.space,
      source.method,
      projectionKey(source.method, source.params),
      source.params.dims,
      this.owner,
    )
    return Number(info.lastInsertRowid)
  }

  get(id: number): ProjectionSummary {
    const row = this.statements.get.get(id) as Row | undefined
    if (!row) throw new StudioError('not-found', `There is no projection ${id} in this workspace.`)
    return summaryOf(row)
  }

  withCoords(id: number): Projection {
    const summary = this.get(id)
    const blob = (this.statements.coords.get(id) as { coords: Buffer | null }).coords
    const coords = blob
      ? new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength))
      : null
    return { ...summary, coords }
  }

  list(datasetId: number): ProjectionSummary[] {
    return (this.statements.list.all(datasetId) as Row[]).map(summaryOf)
  }

  complete(
    id: number,
    result: { coords: Float32Array; rows: number; quality: ProjectionQuality; seconds: number },
  ): void {
    const { coords, rows, quality, seconds } = result
    this.statements.complete.run(
      rows,
      Buffer.from(coords.buffer, coords.byteOffset, coords.byteLength),
      JSON.stringify(quality),
      seconds,
      id,
    )
  }

  /** Ends a running projection as failed or cancelled; a finished one is left as it is. */
  finish(id: number, status: 'failed' | 'cancelled', error: string | null): void {
    this.statements.finish.run(status, error, id)
  }

  remove(id: number): void {
    this.statements.remove.run(id)
  }

  /** Projections marked 'running', with the owner computing each (owners.ts). */
  running(): { id: number; owner: number | null }[] {
    return this.statements.running.all() as { id: number; owner: number | null }[]
  }
}

function summaryOf(row: Row): ProjectionSummary {
  const key = JSON.parse(row.params) as Partial<ProjectionParams>
  return {
    id: row.id,
    datasetId: row.dataset_id,
    runId: row.run_id,
    space: row.space,
    method: row.method,
    params: {
      neighbors: 15,
      minDist: 0.1,
      metric: 'euclidean',
      seed: 1,
      ...key,
      dims: row.dims as 2 | 3,
    },
    status: row.status,
    error: row.error,
    rows: row.rows,
    quality: row.quality ? (JSON.parse(row.quality) as ProjectionQuality) : null,
    seconds: row.seconds,
    createdAt: row.created_at,
  }
}
