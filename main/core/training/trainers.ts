// The service side of training: one child process per run, its messages turned into events and
// stored state, and a dead process turned into an interrupted run with its reason.
import { StudioError } from '../errors'
import { describeExits, type ComputeChild, type ProcessEntry, type Spawner } from '../jobs/spawner'
import type { RunsStore } from '../store/runs-store'
import type { TrainingEpoch, TrainingProgress, TrainingStatus } from '../shared/runs'
import type { FromTrainer, ToTrainer } from './messages'

/** the training process's script: out/main/train-process.js, or the .ts source in tests */
export type TrainerEntry = ProcessEntry

export interface TrainersOptions {
  runs: RunsStore
  workspaceFile: string
  nativeBinding?: string
  entry: TrainerEntry
  spawn: Spawner
  events: {
    progress(payload: TrainingProgress): void
    epoch(payload: TrainingEpoch): void
    status(payload: TrainingStatus): void
  }
}

export class Trainers {
  private readonly children = new Map<number, ComputeChild>()

  constructor(private readonly options: TrainersOptions) {}

  get running(): number[] {
    return [...this.children.keys()]
  }

  /** The training process's pid, for tests that kill it. */
  pid(runId: number): number | undefined {
    return this.children.get(runId)?.pid
  }

  start(runId: number, options: { resume?: boolean } = {}): void {
    const { entry, events } = this.options
    const child = this.options.spawn(entry)
    this.children.set(runId, child)
    const describe = describeExits(child, 'training', {
      preferErrors: true,
      kept: 'Finished epochs and the last checkpoint are kept.',
    })
    child.onMessage((message: FromTrainer) => {
      if (message.type === 'started')
        events.status({
          runId,
          status: 'running',
          backend: message.backend,
          backendNotes: message.notes,
          threads: message.threads,
        })
      else if (message.type === 'progress') {
        const { type: _type, ...progress } = message
        events.progress({ runId, ...progress })
      } else if (message.type === 'epoch')
        events.epoch({
          runId,
          report: message.report,
          epochs: message.epochs,
          preview: message.preview,
        })
      else if (message.type === 'finished')
        events.status({ runId, status: message.status, error: message.error })
    })
    child.onExit((code, signal) => {
      // A run continued at once has a new process already: the old one's exit is not its end.
      if (this.children.get(runId) !== child) return
      this.children.delete(runId)
      try {
        this.recordExit(runId, describe(code, signal))
      } catch (error) {
        // the workspace cannot be written now (a full disk): the next look at it ends the run
        console.error('[training]', error instanceof Error ? error.message : error)
      }
    })
    this.send(runId, {
      type: 'start',
      workspaceFile: this.options.workspaceFile,
      runId,
      nativeBinding: this.options.nativeBinding,
      resume: options.resume,
    })
  }

  /** A training process exited: a run it left unfinished becomes interrupted, saying how. */
  private recordExit(runId: number, error: string): void {
    const { runs, events } = this.options
    const run = runs.get(runId)
    if (run.status !== 'running' && run.status !== 'paused' && run.status !== 'queued') return
    runs.finish(runId, { status: 'interrupted', error })
    events.status({ runId, status: 'interrupted', error })
  }

  pause(runId: number): void {
    this.send(runId, { type: 'pause' })
    this.options.runs.setStatus(runId, 'paused')
    this.options.events.status({ runId, status: 'paused' })
  }

  resume(runId: number): void {
    this.send(runId, { type: 'resume' })
    this.options.runs.setStatus(runId, 'running')
    this.options.events.status({ runId, status: 'running' })
  }

  cancel(runId: number): void {
    this.send(runId, { type: 'cancel' })
  }

  /** Stops every training process (the app is closing); their runs become interrupted. */
  stopAll(): void {
    for (const [runId, child] of this.children) {
      child.removeAllListeners()
      child.kill()
      const { status } = this.options.runs.get(runId)
      if (status === 'running' || status === 'paused' || status === 'queued')
        this.options.runs.finish(runId, {
          status: 'interrupted',
          error:
            'Training stopped because the app was closed. Finished epochs and the last checkpoint are kept.',
        })
    }
    this.children.clear()
  }

  private send(runId: number, message: ToTrainer): void {
    const child = this.children.get(runId)
    if (!child?.connected) {
      const elsewhere = this.options.runs.live().some((run) => run.id === runId)
      throw new StudioError(
        'bad-params',
        elsewhere
          ? `Run ${runId} is training in another window or command: pause or stop it there.`
          : `Run ${runId} is not training.`,
      )
    }
    child.send(message)
  }
}
