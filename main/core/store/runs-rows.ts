// The runs tables' rows as SQLite gives them, the queries that join them, and their conversion
// to and from what the rest of the core uses (runs-store.ts prepares the statements).
import { StudioError } from '../errors'
import type { EpochRow, RunStatus, RunSummary } from '../shared/runs'

export interface StoredEpoch {
  epoch: number
  train_loss: number
  val_loss: number | null
  mse: number | null
  terms: string
  seconds: number
  samples_per_sec: number
}

/** A run joined with its dataset's name and its last epoch (all null when it has none). */
export interface RunRow extends Omit<StoredEpoch, 'epoch'> {
  id: number
  dataset_id: number
  dataset_name: string
  name: string
  created_at: string
  status: RunStatus
  config: string
  backend: string | null
  started_at: string | null
  finished_at: string | null
  error: string | null
  notes: string
  summary: string | null
  epochs: number
  epoch: number | null
}

export const now = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`
export const epochColumns = `e.epoch, e.train_loss, e.val_loss, e.mse, e.terms, e.seconds, e.samples_per_sec`
export const summaryQuery = `SELECT r.id, r.dataset_id, d.name AS dataset_name, r.name, r.created_at, r.status,
  r.config, r.backend, r.started_at, r.finished_at, r.error, r.notes, r.summary,
  (SELECT count(*) FROM epochs c WHERE c.run_id = r.id) AS epochs, ${epochColumns}
  FROM runs r JOIN datasets d ON d.id = r.dataset_id
  LEFT JOIN epochs e ON e.run_id = r.id
    AND e.epoch = (SELECT max(epoch) FROM epochs m WHERE m.run_id = r.id)`

export function notFound(runId: number): StudioError {
  return new StudioError('not-found', `There is no run ${runId} in this workspace.`)
}

export function isForeignKeyError(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
}

/** The bytes of a typed array as a Buffer over the same memory (no copy). */
export function bytes(array: Float32Array | Int32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength)
}

/**
 * The bytes of a BLOB in a fresh ArrayBuffer of their own. A Buffer is not promised to start at a
 * 4-byte boundary or to own its memory (Node pools small ones), so a typed-array view over it
 * could throw or expose unrelated bytes; a copy cannot.
 */
export function copy(blob: Buffer): ArrayBuffer {
  const out = new Uint8Array(blob.byteLength)
  out.set(blob)
  return out.buffer
}

export function epochRow(row: StoredEpoch): EpochRow {
  return {
    epoch: row.epoch,
    trainLoss: row.train_loss,
    valLoss: row.val_loss,
    mse: row.mse,
    terms: JSON.parse(row.terms) as Record<string, number>,
    seconds: row.seconds,
    samplesPerSec: row.samples_per_sec,
  }
}

export function summary(row: RunRow): RunSummary {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    datasetName: row.dataset_name,
    name: row.name,
    createdAt: row.created_at,
    status: row.status,
    config: JSON.parse(row.config),
    backend: row.backend,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    notes: row.notes,
    summary: row.summary === null ? null : JSON.parse(row.summary),
    epochs: row.epochs,
    lastEpoch: row.epoch === null ? null : epochRow({ ...row, epoch: row.epoch }),
  }
}
