import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventName, Events } from '../../main/core/contract'
import { dispatch } from '../../main/core/dispatch'
import { Studio } from '../../main/core/service'

/** Calls a method as a transport would; a failure throws "code: message". */
export async function call(studio: Studio, method: string, params: unknown): Promise<unknown> {
  const outcome = await dispatch(studio.handlers, method, params)
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`)
  return outcome.result
}

/** The next event of this name that `accept` takes. */
export function until<E extends EventName>(
  studio: Studio,
  event: E,
  accept: (payload: Events[E]) => boolean = () => true,
): Promise<Events[E]> {
  return new Promise((resolve) => {
    const stop = studio.onEvent((name, payload) => {
      if (name === event && accept(payload as Events[E])) {
        stop()
        resolve(payload as Events[E])
      }
    })
  })
}

const resources = join(import.meta.dirname, '..', '..', 'resources')
/** The bundled Fashion-MNIST sample: 2,000 labelled images. */
export const sampleFiles = ['sample-images-idx3-ubyte.gz', 'sample-labels-idx1-ubyte.gz'].map(
  (file) => join(resources, 'sample', 'fashion-mnist', file),
)

/**
 * A workspace in a fresh folder with the sample imported and one run trained to completion on
 * it (in its own process, as the app does): the starting point of the analysis tests. Call
 * `close` when done.
 */
export async function sampleWithRun(config: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'studio-analysis-'))
  const studio = new Studio({
    workspaceFile: join(dir, 'workspace.sqlite'),
    resourcesDir: resources,
    shell: 'test',
    version: 'test',
  })
  const { datasetId } = (await call(studio, 'datasets.import', { paths: sampleFiles })) as {
    datasetId: number
  }
  const done = until(studio, 'training:status', (s) => ['completed', 'failed'].includes(s.status))
  const run = (await call(studio, 'runs.start', { datasetId, config })) as { id: number }
  const status = await done
  if (status.status !== 'completed') throw new Error(`training failed: ${status.error}`)
  return {
    studio,
    dir,
    datasetId,
    runId: run.id,
    close() {
      studio.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
