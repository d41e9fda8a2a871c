// The child side of a stored job's process (project.process.ts, cluster.process.ts): run the
// job on 'start', abort it on 'cancel', and say how a failed one ended.

/** How a job that threw ended: cancelled when its signal was aborted, else failed, with why. */
export function failureOf(
  error: unknown,
  signal: AbortSignal,
): { status: 'failed' | 'cancelled'; message: string } {
  if (signal.aborted) return { status: 'cancelled', message: 'Cancelled.' }
  return { status: 'failed', message: error instanceof Error ? error.message : String(error) }
}

/** Serves one job: `run` on the start message, an abort on cancel, then the process leaves. */
export function serveJob<Start extends { type: 'start' }>(
  run: (start: Start, signal: AbortSignal) => Promise<void>,
): void {
  const abort = new AbortController()
  process.on('message', (message: Start | { type: 'cancel' }) => {
    if (message.type === 'start')
      void run(message as Start, abort.signal).finally(() => process.disconnect?.())
    else if (message.type === 'cancel') abort.abort()
  })
}
