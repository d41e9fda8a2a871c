// What a run's status lets the user do, and why not when it does not (docs/working-with-data.md,
// "Stopped and interrupted runs"), and what looks wrong with its training ("Warnings").
import type { RunSummary, TrainingWarning } from '@shared/runs'

/** Stopped and interrupted runs with a checkpoint are analysed like completed ones. */
export function analysable(run: RunSummary): boolean {
  if (run.status === 'completed') return true
  return (run.status === 'cancelled' || run.status === 'interrupted') && run.epochs > 0
}

/** Why the run cannot be analysed or exported, in the user's words; null when it can. */
export function whyNotAnalysable(run: RunSummary): string | null {
  if (analysable(run)) return null
  switch (run.status) {
    case 'queued':
    case 'running':
    case 'paused':
      return 'The run is still training: stop it (or let it finish) to analyse and export it.'
    case 'failed':
      return 'Training failed, so there is no model to analyse: train it again.'
    default:
      return 'The run stopped before its first epoch ended, so it has no checkpoint: train it again.'
  }
}

/** A stopped or interrupted run with a checkpoint can train its epochs left. */
export function continuable(run: RunSummary): boolean {
  return (run.status === 'cancelled' || run.status === 'interrupted') && run.epochs > 0
}

/** What looks wrong with the run's training (none for runs from before warnings). */
export function warningsOf(run: RunSummary): TrainingWarning[] {
  return run.summary?.warnings ?? []
}
