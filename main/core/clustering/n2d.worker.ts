// Runs N2D's runs (layout, then mixture) on another core for n2d.ts. It takes the next run from
// a counter shared with the thread that started it, so both stay busy whatever the runs cost,
// and posts each run back with its arrays transferred.
import { parentPort, workerData } from 'node:worker_threads'
import { useHelperBackend, type BackendName } from '../training/backend'
import { n2dRun, type N2dRunSettings } from './n2d'

export interface N2dWorkerData extends N2dRunSettings {
  /** Int32Array(1) on a SharedArrayBuffer: the next run to take */
  next: Int32Array
  backend: string
}

export type N2dWorkerMessage =
  | { type: 'progress'; run: number; fraction: number }
  /** the layout only for run 0, whose layout measures the distances */
  | {
      type: 'run'
      run: number
      assignments: Int32Array
      confidence: Float32Array
      layout: Float32Array | null
    }
  | { type: 'done' }
  | { type: 'error'; message: string }

async function work(): Promise<void> {
  const { next, backend, ...settings } = workerData as N2dWorkerData
  try {
    await useHelperBackend(backend as BackendName) // the first layout's principal axes run on tfjs
    for (;;) {
      const run = Atomics.add(next, 0, 1)
      if (run >= settings.runs) break
      const { layout, assignments, confidence } = await n2dRun(
        settings,
        run,
        undefined,
        (fraction) =>
          parentPort!.postMessage({
            type: 'progress',
            run,
            fraction,
          } satisfies N2dWorkerMessage),
      )
      const kept = run === 0 ? layout : null
      parentPort!.postMessage(
        {
          type: 'run',
          run,
          assignments,
          confidence,
          layout: kept,
        } satisfies N2dWorkerMessage,
        [assignments, confidence, ...(kept ? [kept] : [])].map((a) => a.buffer as ArrayBuffer),
      )
    }
    parentPort!.postMessage({ type: 'done' } satisfies N2dWorkerMessage)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    parentPort!.postMessage({ type: 'error', message } satisfies N2dWorkerMessage)
  }
}

// (no top-level await: from source this file is loaded through tsx's CommonJS hook)
void work()
