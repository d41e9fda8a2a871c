// The service side of training: one child process per run (jobs/compute-processes.ts), its
// messages turned into events and stored state, and a dead process turned into an interrupted
// run with its reason.
import { StudioError } from '../errors'
import { ComputeProcesses } from '../jobs/compute-processes'
import type { ProcessEntry, Spawner } from '../jobs/spawner'
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
  private readonly processes: ComputeProcesses<FromTrainer>

  constructor(private readonly options: TrainersOptions) {
    const { entry, spawn, events } = options
    this.processes = new ComputeProcesses<FromTrainer>({
      entry,
      spawn,
      noun: 'training',
      preferErrors: true,
      kept: 'Finished epochs and the last checkpoint are kept.',
      onMessage: (runId, message) => {
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
      },
      onExit: (runId, error) => {
        try {
          this.recordExit(runId, error)
        } catch (failure) {
          // the workspace cannot be written now (a full disk): the next look at it ends the run
          console.error('[training]', failure instanceof Error ? failure.message : failure)
        }
      },
    })
  }

  get running(): number[] {
    return this.processes.running
  }

  /** The training process's pid, for tests that kill it. */
  pid(runId: number): number | undefined {
    return this.processes.pid(runId)
  }

  start(runId: number, options: { resume?: boolean } = {}): void {
    const start: ToTrainer = {
      type: 'start',
      workspaceFile: this.options.workspaceFile,
      runId,
      nativeBinding: this.options.nativeBinding,
      resume: options.resume,
    }
    this.processes.start(runId, start)
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
    if (!this.processes.cancel(runId)) this.refuse(runId)
  }

  /** Stops every training process (the app is closing); their runs become interrupted. */
  stopAll(): void {
    for (const runId of this.processes.stopAll()) {
      const { status } = this.options.runs.get(runId)
      if (status === 'running' || status === 'paused' || status === 'queued')
        this.options.runs.finish(runId, {
          status: 'interrupted',
          error:
            'Training stopped because the app was closed. Finished epochs and the last checkpoint are kept.',
        })
    }
  }

  private send(runId: number, message: ToTrainer): void {
    if (!this.processes.send(runId, message)) this.refuse(runId)
  }

  /** Says why run `runId` cannot be paused, resumed or cancelled from here. */
  private refuse(runId: number): never {
    const elsewhere = this.options.runs.live().some((run) => run.id === runId)
    throw new StudioError(
      'bad-params',
      elsewhere
        ? `Run ${runId} is training in another window or command: pause or stop it there.`
        : `Run ${runId} is not training.`,
    )
  }
}
