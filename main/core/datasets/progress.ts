import type { ImportProgress } from '../shared/types'

export type ProgressListener = (progress: Omit<ImportProgress, 'jobId'>) => void

export interface ProgressCounts {
  phase: ImportProgress['phase']
  done: number
  total: number
  skipped: number
}

/** Passes progress on at most every `intervalMs` (and on every change of phase, and when forced). */
export class ProgressReporter {
  private lastSent = -Infinity
  private lastPhase: ImportProgress['phase'] | null = null
  private decodingStarted: number | null = null

  constructor(
    private readonly listener: ProgressListener | undefined,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  report(counts: ProgressCounts, force = false): void {
    if (!this.listener) return
    const now = this.now()
    if (counts.phase !== 'scanning') this.decodingStarted ??= now
    if (!force && counts.phase === this.lastPhase && now - this.lastSent < this.intervalMs) return
    this.lastSent = now
    this.lastPhase = counts.phase
    const seconds = this.decodingStarted === null ? 0 : (now - this.decodingStarted) / 1000
    const rate = seconds > 0 ? counts.done / seconds : 0
    const eta = rate > 0 ? Math.max(0, counts.total - counts.done) / rate : null
    this.listener({ ...counts, rate, eta })
  }
}
