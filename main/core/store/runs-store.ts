import { StudioError } from '../errors'
import type { Workspace } from './workspace'

import type {
  RunStatus,
  FinishStatus,
  CheckpointKind,
  NewRun,
  EpochRow,
  RunSummary,
  NewCheckpoint,
  Checkpoint,
  Embeddings,
  EpochCodes,
  RunOutcome,
} from '../shared/runs'
import {
  bytes,
  copy,
  epochColumns,
  epochRow,
  isForeignKeyError,
  notFound,
  now,
  summary,
  summaryQuery,
  type RunRow,
  type StoredEpoch,
} from './runs-rows'

export type {
  RunStatus,
  FinishStatus,
  CheckpointKind,
  NewRun,
  EpochRow,
  RunSummary,
  NewCheckpoint,
  Checkpoint,
  Embeddings,
  EpochCodes,
}

export const orphanMessage =
  'The training process stopped unexpectedly (it may have run out of memory or been killed). Finished epochs are kept; resume from the last checkpoint.'

export interface LiveRun {
  id: number
  /** the training process, once it started */
  pid: number | null
  /** the process that started it (owners.ts); null for runs from before owners existed */
  owner: number | null
  status: 'queued' | 'running' | 'paused'
}

/** Prepared statements over the training-run tables; one instance per open workspace. */
export class RunsStore {
  private readonly statements
  /** `owner`: this process's row in owners (owners.ts), named by the runs it trains */
  constructor(
    private readonly db: Workspace,
    private readonly owner: number | null = null,
  ) {
    this.statements = {
      create: db.prepare(
        `INSERT INTO runs (dataset_id, name, status, config, owner) VALUES (?, ?, 'queued', ?, ?)`,
      ),
      claim: db.prepare(`UPDATE runs SET owner = ? WHERE id = ?`),
      // A resumed run starts again: the times and error of its previous process no longer apply.
      start: db.prepare(
        `UPDATE runs SET status = 'running', started_at = ${now}, finished_at = NULL, error = NULL,
         backend = ?, pid = ? WHERE id = ?`,
      ),
      setBackend: db.prepare(`UPDATE runs SET backend = ? WHERE id = ?`),
      setStatus: db.prepare(
        `UPDATE runs SET status = ? WHERE id = ? AND status IN ('running', 'paused')`,
      ),
      finish: db.prepare(
        `UPDATE runs SET status = ?, finished_at = ${now}, error = ?, summary = ?, pid = NULL
         WHERE id = ?`,
      ),
      // Upserts: a run resumed from its last checkpoint trains again the epochs after it.
      addEpoch: db.prepare(
        `INSERT INTO epochs (run_id, epoch, train_loss, val_loss, mse, terms, seconds, samples_per_sec)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, epoch) DO UPDATE SET train_loss = excluded.train_loss,
           val_loss = excluded.val_loss, mse = excluded.mse, terms = excluded.terms,
           seconds = excluded.seconds, samples_per_sec = excluded.samples_per_sec`,
      ),
      saveCheckpoint: db.prepare(
        `INSERT INTO checkpoints (run_id, kind, epoch, weights, manifest) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id, kind) DO UPDATE SET epoch = excluded.epoch,
           weights = excluded.weights, manifest = excluded.manifest, created_at = ${now}`,
      ),
      saveEpochCodes: db.prepare(
        `INSERT INTO epoch_codes (run_id, epoch, codes) VALUES (?, ?, ?)
         ON CONFLICT (run_id, epoch) DO UPDATE SET codes = excluded.codes`,
      ),
      saveEmbeddings: db.prepare(
        `INSERT INTO embeddings (run_id, rows, dims, codes, errors, item_ids) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET rows = excluded.rows, dims = excluded.dims,
           codes = excluded.codes, errors = excluded.errors, item_ids = excluded.item_ids`,
      ),
      exists: db.prepare(`SELECT status FROM runs WHERE id = ?`),
      get: db.prepare(`${summaryQuery} WHERE r.id = ?`),
      list: db.prepare(`${summaryQuery} ORDER BY r.id DESC`),
      listDataset: db.prepare(`${summaryQuery} WHERE r.dataset_id = ? ORDER BY r.id DESC`),
      epochs: db.prepare(
        `SELECT ${epochColumns} FROM epochs e WHERE e.run_id = ? ORDER BY e.epoch`,
      ),
      checkpoint: db.prepare(
        `SELECT epoch, weights, manifest FROM checkpoints WHERE run_id = ? AND kind = ?`,
      ),
      embeddings: db.prepare(
        `SELECT rows, dims, codes, errors, item_ids FROM embeddings WHERE run_id = ?`,
      ),
      epochCodes: db.prepare(
        `SELECT epoch, codes FROM epoch_codes WHERE run_id = ? AND epoch > ? ORDER BY epoch`,
      ),
      rename: db.prepare(`UPDATE runs SET name = ? WHERE id = ?`),
      setNotes: db.prepare(`UPDATE runs SET notes = ? WHERE id = ?`),
      delete: db.prepare(`DELETE FROM runs WHERE id = ?`),
      live: db.prepare(
        `SELECT id, pid, owner, status FROM runs WHERE status IN ('queued', 'running', 'paused')`,
      ),
      interrupt: db.prepare(
        `UPDATE runs SET status = 'interrupted', finished_at = ${now}, error = ?, pid = NULL
         WHERE id = ?`,
      ),
    }
  }

  /** Records a run waiting to start; returns its id. */
  create(run: NewRun): number {
    try {
      const info = this.statements.create.run(
        run.datasetId,
        run.name,
        JSON.stringify(run.config),
        this.owner,
      )
      return Number(info.lastInsertRowid)
    } catch (error) {
      if (isForeignKeyError(error))
        throw new StudioError(
          'not-found',
          `There is no dataset ${run.datasetId} in this workspace.`,
        )
      throw error
    }
  }

  /** This process takes over a run (to continue it): it answers for it from now on. */
  claim(runId: number): void {
    this.changed(this.statements.claim.run(this.owner, runId), runId)
  }

  /** Marks a run as trained by a live process; pid lets a later open detect a dead one. */
  start(runId: number, trainer: { backend: string; pid: number }): void {
    this.changed(this.statements.start.run(trainer.backend, trainer.pid, runId), runId)
  }

  /** The backend a run trains on now: the CPU path, where its GPU was lost (training/gpu-loss.ts). */
  setBackend(runId: number, backend: string): void {
    this.changed(this.statements.setBackend.run(backend, runId), runId)
  }

  setStatus(runId: number, status: 'paused' | 'running'): void {
    if (this.statements.setStatus.run(status, runId).changes > 0) return
    const { status: current } = this.row(runId)
    throw new StudioError(
      'bad-params',
      `Run ${runId} is ${current}: only a running or paused run can be paused or resumed.`,
    )
  }

  finish(
    runId: number,
    outcome: { status: FinishStatus; error?: string; summary?: RunOutcome },
  ): void {
    const summary = outcome.summary === undefined ? null : JSON.stringify(outcome.summary)
    this.changed(
      this.statements.finish.run(outcome.status, outcome.error ?? null, summary, runId),
      runId,
    )
  }

  addEpoch(runId: number, epoch: EpochRow): void {
    this.write(runId, () => this.insertEpoch(runId, epoch))
  }

  /**
   * Writes an epoch with its checkpoints and latent codes in one transaction, so a process
   * killed at any point never leaves an epoch without the checkpoint that goes with it.
   */
  addEpochWithCheckpoints(
    runId: number,
    epoch: EpochRow,
    checkpoints: readonly NewCheckpoint[],
    codes?: Float32Array,
  ): void {
    this.write(runId, () =>
      this.db.transaction(() => {
        this.insertEpoch(runId, epoch)
        for (const c of checkpoints)
          this.statements.saveCheckpoint.run(
            runId,
            c.kind,
            c.epoch,
            bytes(c.weights),
            JSON.stringify(c.manifest),
          )
        if (codes) this.statements.saveEpochCodes.run(runId, epoch.epoch, bytes(codes))
      })(),
    )
  }

  saveEmbeddings(
    runId: number,
    embeddings: { codes: Float32Array; dims: number; errors: Float32Array; itemIds: Int32Array },
  ): void {
    const { codes, dims, errors, itemIds } = embeddings
    const rows = itemIds.length
    if (codes.length !== rows * dims || errors.length !== rows)
      throw new StudioError(
        'internal',
        `Embeddings of run ${runId} do not fit together: ${rows} items, ${dims} dimensions, ${codes.length} code values, ${errors.length} errors.`,
      )
    this.write(runId, () =>
      this.statements.saveEmbeddings.run(
        runId,
        rows,
        dims,
        bytes(codes),
        bytes(errors),
        bytes(itemIds),
      ),
    )
  }

  get(runId: number): RunSummary {
    const row = this.statements.get.get(runId) as RunRow | undefined
    if (!row) throw notFound(runId)
    return summary(row)
  }

  /** Newest first. */
  list(filter: { datasetId?: number } = {}): RunSummary[] {
    const rows = (
      filter.datasetId === undefined
        ? this.statements.list.all()
        : this.statements.listDataset.all(filter.datasetId)
    ) as RunRow[]
    return rows.map(summary)
  }

  epochs(runId: number): EpochRow[] {
    this.row(runId)
    return (this.statements.epochs.all(runId) as StoredEpoch[]).map(epochRow)
  }

  checkpoint(runId: number, kind: CheckpointKind): Checkpoint | null {
    this.row(runId)
    const row = this.statements.checkpoint.get(runId, kind) as
      { epoch: number; weights: Buffer; manifest: string } | undefined
    if (!row) return null
    return {
      epoch: row.epoch,
      weights: new Float32Array(copy(row.weights)),
      manifest: JSON.parse(row.manifest),
    }
  }

  embeddings(runId: number): Embeddings | null {
    this.row(runId)
    const row = this.statements.embeddings.get(runId) as
      { rows: number; dims: number; codes: Buffer; errors: Buffer; item_ids: Buffer } | undefined
    if (!row) return null
    return {
      rows: row.rows,
      dims: row.dims,
      codes: new Float32Array(copy(row.codes)),
      errors: new Float32Array(copy(row.errors)),
      itemIds: new Int32Array(copy(row.item_ids)),
    }
  }

  /** The watched codes of each stored epoch after `after`. */
  epochCodes(runId: number, after = -1): EpochCodes[] {
    this.row(runId)
    return (this.statements.epochCodes.all(runId, after) as { epoch: number; codes: Buffer }[]).map(
      (row) => ({ epoch: row.epoch, codes: new Float32Array(copy(row.codes)) }),
    )
  }

  rename(runId: number, name: string): RunSummary {
    this.changed(this.statements.rename.run(name, runId), runId)
    return this.get(runId)
  }

  setNotes(runId: number, notes: string): RunSummary {
    this.changed(this.statements.setNotes.run(notes, runId), runId)
    return this.get(runId)
  }

  delete(runId: number): boolean {
    return this.statements.delete.run(runId).changes > 0
  }

  /** Runs queued, running or paused, with their training process and their owner. */
  live(): LiveRun[] {
    return this.statements.live.all() as LiveRun[]
  }

  /**
   * Runs queued, running or paused whose process is gone become 'interrupted', with `reason`
   * (orphanMessage by default). Returns the ids changed.
   */
  markOrphans(
    orphaned: (run: LiveRun) => boolean,
    reason: string | ((run: LiveRun) => string) = orphanMessage,
  ): number[] {
    return this.db.transaction(() => {
      const orphans = this.live().filter(orphaned)
      for (const run of orphans)
        this.statements.interrupt.run(typeof reason === 'string' ? reason : reason(run), run.id)
      return orphans.map((run) => run.id)
    })()
  }

  private insertEpoch(runId: number, epoch: EpochRow): void {
    this.statements.addEpoch.run(
      runId,
      epoch.epoch,
      epoch.trainLoss,
      epoch.valLoss,
      epoch.mse,
      JSON.stringify(epoch.terms),
      epoch.seconds,
      epoch.samplesPerSec,
    )
  }

  /** Runs a write, reporting a missing run (a foreign-key failure) as not-found. */
  private write(runId: number, action: () => void): void {
    try {
      action()
    } catch (error) {
      if (isForeignKeyError(error)) throw notFound(runId)
      throw error
    }
  }

  private row(runId: number): { status: RunStatus } {
    const row = this.statements.exists.get(runId) as { status: RunStatus } | undefined
    if (!row) throw notFound(runId)
    return row
  }

  private changed(info: { changes: number }, runId: number): void {
    if (info.changes === 0) throw notFound(runId)
  }
}
