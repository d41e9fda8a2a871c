// A run's codes and errors, whatever way it ended (docs/working-with-data.md, "Stopped and
// interrupted runs"). A completed or stopped run stores them as it ends (training/train.process.ts);
// a run interrupted (its process killed, the app closed) has only its checkpoint, so the first
// analysis that needs them has the decoder process compute them from that checkpoint, once.
import { StudioError } from '../errors'
import type { Embeddings } from '../shared/runs'
import type { Decoders } from '../reconstruction/decoders'
import type { RunsStore } from '../store/runs-store'
import type { Workspace } from '../store/workspace'

const training = ['queued', 'running', 'paused']

export class RunCodes {
  private readonly pending = new Map<number, Promise<Embeddings>>()
  private readonly statements

  constructor(
    private readonly core: {
      db: Workspace
      runs: RunsStore
      decoders: Decoders
      /** why the workspace cannot be written; undefined when it can */
      readOnly?: unknown
    },
  ) {
    this.statements = {
      dropCodes: core.db.prepare(`DELETE FROM embeddings WHERE run_id = ?`),
      dropLayouts: core.db.prepare(
        `DELETE FROM projections WHERE run_id = ? AND space = 'latent' AND status != 'running'`,
      ),
      // until its process starts: nothing may take the stopped run's place in the meantime
      queue: core.db.prepare(
        `UPDATE runs SET status = 'queued', finished_at = NULL, error = NULL WHERE id = ?`,
      ),
    }
  }

  /**
   * The run's codes: stored ones, or computed now from its last checkpoint. Refused, saying why,
   * while it trains and when it ended before a first checkpoint.
   */
  async ensure(runId: number): Promise<Embeddings> {
    const stored = this.core.runs.embeddings(runId)
    if (stored) return stored
    const run = this.core.runs.get(runId)
    if (training.includes(run.status))
      throw new StudioError(
        'bad-params',
        `Run ${runId} is still training: its codes are stored when it completes or is stopped. Stop it to analyse it now.`,
      )
    if (!this.core.runs.checkpoint(runId, 'last'))
      throw new StudioError(
        'bad-params',
        `Run ${runId} ended (${run.status}) before its first epoch was done, so there is nothing to analyse: train it again.`,
      )
    if (this.core.readOnly)
      throw new StudioError(
        'read-only',
        `Run ${runId} has no codes stored, and this workspace is read-only, so they cannot be computed and kept: open a writable copy of it.`,
      )
    let waiting = this.pending.get(runId)
    if (!waiting) {
      waiting = this.core.decoders
        .request({ op: 'embed', runId })
        .then(() => this.core.runs.embeddings(runId)!)
        .finally(() => this.pending.delete(runId))
      this.pending.set(runId, waiting)
    }
    return waiting
  }

  /**
   * The run trains again (runs.continue): it is queued, and its codes and the layouts of them
   * are of the old weights, so they go; the new ones are stored when it ends. Clusterings stay:
   * each keeps the assignment it made.
   */
  retrain(runId: number): void {
    this.core.db.transaction(() => {
      this.statements.dropCodes.run(runId)
      this.statements.dropLayouts.run(runId)
      this.statements.queue.run(runId)
    })()
  }
}
