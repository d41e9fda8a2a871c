// Runs N2D's runs (layout, then mixture) on another core for n2d.ts. It takes the next run from
// a counter shared with the thread that started it, so both stay busy whatever the runs cost,
// and sends each run back as a note with its arrays transferred (jobs/worker-rpc.ts).
import { buffersOf, serveRequests } from '../jobs/worker-rpc'
import { useHelperBackend, type BackendName } from '../training/backend'
import { n2dRun, type N2dRunSettings } from './n2d'

export interface N2dProtocol {
  request: N2dRunSettings & {
    /** Int32Array(1) on a SharedArrayBuffer: the next run to take */
    next: Int32Array
    backend: string
  }
  /** the counter ran out */
  response: void
  note:
    | { type: 'progress'; run: number; fraction: number }
    /** the layout only for run 0, whose layout measures the distances */
    | {
        type: 'run'
        run: number
        assignments: Int32Array
        confidence: Float32Array
        layout: Float32Array | null
      }
}

serveRequests<N2dProtocol>(async ({ next, backend, ...settings }, { note }) => {
  await useHelperBackend(backend as BackendName) // the first layout's principal axes run on tfjs
  for (;;) {
    const run = Atomics.add(next, 0, 1)
    if (run >= settings.runs) break
    const { layout, assignments, confidence } = await n2dRun(settings, run, undefined, (fraction) =>
      note({ type: 'progress', run, fraction }),
    )
    const kept = run === 0 ? layout : null
    note(
      { type: 'run', run, assignments, confidence, layout: kept },
      buffersOf(assignments, confidence, kept),
    )
  }
})
