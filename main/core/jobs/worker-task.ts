// One job on a worker thread as a promise, for the analysis code that starts its own workers
// (knn.ts, n2d.ts): settled by the worker's messages, by its failure or exit, or by the signal,
// and the worker terminated once it is.
import { Worker } from 'node:worker_threads'
import type { WorkerEntry } from '../worker-entry'
import { abortError } from '../projection/knn-rows'

/** What a message does to the job: nothing yet, or its result, or its failure. */
export type TaskStep<T> = { value: T } | { error: Error } | undefined

/**
 * Starts `entry` with `workerData`; each message goes to `onMessage`, which settles the job by
 * returning a value or an error. `name` says which worker stopped, if it exits first.
 */
export function workerTask<M, T>(
  entry: WorkerEntry,
  workerData: unknown,
  name: string,
  signal: AbortSignal | undefined,
  onMessage: (message: M) => TaskStep<T>,
): Promise<T> {
  const worker = new Worker(entry.script, { workerData, eval: entry.eval })
  return new Promise<T>((resolve, reject) => {
    let settled = false
    const settle = (outcome: () => void) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      void worker.terminate()
      outcome()
    }
    const onAbort = () => settle(() => reject(abortError(signal!)))
    signal?.addEventListener('abort', onAbort, { once: true })
    worker.on('message', (message: M) => {
      const step = onMessage(message)
      if (step) settle(() => ('error' in step ? reject(step.error) : resolve(step.value)))
    })
    worker.on('error', (error) => settle(() => reject(error)))
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`${name} stopped with code ${code}`))),
    )
  })
}
