import cliProgress from 'cli-progress'
import type { ImportProgress } from '../core/shared/types'
import type { TrainingProgress } from '../core/shared/runs'

/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI, --json consumers). */
export class ProgressBar {
  private bar: cliProgress.SingleBar | null = null
  private phase = ''

  constructor(private readonly enabled = Boolean(process.stderr.isTTY)) {}

  import(progress: ImportProgress): void {
    if (!this.enabled) return
    if (!this.bar || progress.phase !== this.phase) {
      this.stop()
      this.phase = progress.phase
      this.bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${progress.phase.padEnd(9)} {bar} {value}/{total} | {rate} files/s | ETA {eta_text} | skipped {skipped}`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
      this.bar.start(progress.total, progress.done, this.payload(progress))
    }
    this.bar.setTotal(progress.total)
    this.bar.update(progress.done, this.payload(progress))
  }

  training(progress: TrainingProgress): void {
    if (!this.enabled) return
    const done = (progress.epoch - 1) * progress.batches + progress.batch
    const total = progress.epochs * progress.batches
    if (!this.bar || this.phase !== 'training') {
      this.stop()
      this.phase = 'training'
      this.bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format:
            'training  {bar} epoch {epoch}/{epochs} | loss {loss} | {rate} samples/s | ETA {eta_text}',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
      this.bar.start(total, done)
    }
    this.bar.update(done, {
      epoch: progress.epoch,
      epochs: progress.epochs,
      loss: progress.loss.toPrecision(4),
      rate: Math.round(progress.samplesPerSec),
      eta_text: `${Math.ceil(progress.eta)}s`,
    })
  }

  /** A phase of work measured as a fraction (a projection's neighbours, layout, quality). */
  fraction(phase: string, fraction: number): void {
    if (!this.enabled) return
    if (!this.bar || this.phase !== phase) {
      this.stop()
      this.phase = phase
      this.bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${phase.padEnd(9)} {bar} {percentage}%`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
      this.bar.start(100, 0)
    }
    this.bar.update(Math.round(fraction * 100))
  }

  stop(): void {
    this.bar?.stop()
    this.bar = null
  }

  private payload(progress: ImportProgress) {
    return {
      rate: Math.round(progress.rate),
      eta_text: progress.eta === null ? '…' : `${Math.ceil(progress.eta)}s`,
      skipped: progress.skipped,
    }
  }
}
