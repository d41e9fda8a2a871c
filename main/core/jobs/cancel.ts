// The one way work is cancelled in the core: an AbortSignal, passed down to whatever does the
// work. Where the work crosses into a worker thread or a child process, the signal is turned
// into what that side understands here, and only here (docs/architecture.md, "Cancelling").
import type { ComputeChild } from './spawner'

/** What an aborted signal throws: its reason when that is an error, else a cancel. */
export function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason
  const error = new Error('The projection was cancelled.')
  error.name = 'AbortError'
  return error
}

/**
 * Runs `act` once when `signal` aborts, at once if it already has; returns the function that
 * forgets it (call it when the work has settled).
 */
export function onAbort(
  signal: AbortSignal | undefined,
  act: (reason: unknown) => void,
): () => void {
  if (!signal) return () => {}
  if (signal.aborted) {
    act(signal.reason)
    return () => {}
  }
  const listener = () => act(signal.reason)
  signal.addEventListener('abort', listener, { once: true })
  return () => signal.removeEventListener('abort', listener)
}

/** The reason processes are aborted with when the app is closing: they are ended, not asked. */
export const closing = new Error('The app was closed.')

/**
 * The boundary with a child process: an abort becomes the 'cancel' message its side turns back
 * into an AbortSignal (jobs/compute-child.ts, serveJob), or a kill when the app is `closing`.
 */
export function abortChild(signal: AbortSignal, child: ComputeChild): () => void {
  return onAbort(signal, (reason) => {
    if (reason === closing) {
      // its end is no longer news: the caller records it
      child.removeAllListeners()
      child.kill()
    } else if (child.connected) child.send({ type: 'cancel' })
  })
}
