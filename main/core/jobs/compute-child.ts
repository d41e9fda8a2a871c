// The child side of a stored job's process (project.process.ts, cluster.process.ts): run the
// job on 'start', abort it on 'cancel', and say how a failed one ended. The training process
// (training/train.process.ts) is served the same way.
import { parentChannel } from './parent-channel'

/** This process's channel to the one that started it. */
export const parent = parentChannel()

/** Why a job stops when the process that started it is gone. */
export const parentGone =
  'The process that started it ended (it was closed or killed) before it finished. Start it again.'

/**
 * How a job that threw ended: cancelled when a user aborted it, failed when its parent left
 * (the abort's reason says so) or it broke, with why.
 */
export function failureOf(
  error: unknown,
  signal: AbortSignal,
): { status: 'failed' | 'cancelled'; message: string } {
  if (signal.aborted && signal.reason === parentGone)
    return { status: 'failed', message: parentGone }
  if (signal.aborted) return { status: 'cancelled', message: 'Cancelled.' }
  return { status: 'failed', message: error instanceof Error ? error.message : String(error) }
}

/**
 * Serves one job: `run` on the start message, with the signal that is the job's only way to be
 * cancelled: aborted by the parent's 'cancel' (jobs/cancel.ts, abortChild), or, with the reason
 * `parentGone`, when the parent goes (killed, so it could not say cancel): nobody could follow or
 * cancel it any more. Then the process leaves. Other messages (a run's pause and resume) go to
 * `onOther`.
 */
export function serveJob<Start extends { type: 'start' }, Other extends { type: string } = never>(
  run: (start: Start, signal: AbortSignal) => Promise<void>,
  onOther?: (message: Other) => void,
): void {
  const abort = new AbortController()
  let running: Promise<void> | undefined
  parent.onMessage((message: Start | Other | { type: 'cancel' }) => {
    if (message.type === 'start')
      running = run(message as Start, abort.signal).finally(() => parent.leave())
    else if (message.type === 'cancel') abort.abort()
    else onOther?.(message as Other)
  })
  parent.onParentGone(() => {
    if (!running) process.exit(0)
    abort.abort(parentGone)
    // what the job does with the abort (storing why it ended) finishes first, then the process
    void running.finally(() => process.exit(0))
  })
}
