// The projection process: PCA or UMAP of a run's codes or a dataset's pixels, off the process that
// answers the UI (docs/architecture.md, "Heavy work off the main process"). It reads its input from
// the workspace, streams progress and provisional layouts, and stores the layout with its quality.
import { useBackend } from '../training/backend'
import { DatasetsStore } from '../store/datasets-store'
import { ProjectionsStore } from '../store/projections-store'
import { RunsStore } from '../store/runs-store'
import { openWorkspace } from '../store/workspace'
import { projectionQualitySettings } from '../shared/metrics'
import type { ProjectionQuality } from '../shared/projections'
import { failureOf, parent, serveJob } from '../jobs/compute-child'
import type { FromProjector, ToProjector } from './projector-messages'
import { pca } from './pca'
import { knnLeaveOneOut, trustworthiness } from '../metrics/neighbourhood'
import { silhouette } from '../metrics/silhouette'
import { umapLayout } from './umap'

function send(message: FromProjector): void {
  parent.send(message)
}

/** Class indices of the labels, or null where some item has none or there is only one class. */
function classesOf(labels: (string | null)[]): Int32Array | null {
  if (labels.some((label) => label === null)) return null
  const names = [...new Set(labels as string[])].sort()
  if (names.length < 2) return null
  const index = new Map(names.map((name, i) => [name, i]))
  return Int32Array.from(labels, (label) => index.get(label!)!)
}

async function run(start: Extract<ToProjector, { type: 'start' }>, signal: AbortSignal) {
  const db = openWorkspace(start.workspaceFile, { nativeBinding: start.nativeBinding })
  const projections = new ProjectionsStore(db)
  try {
    const summary = projections.get(start.projectionId)
    const started = performance.now()
    send({ type: 'progress', phase: 'loading', fraction: 0 })
    await useBackend('auto')
    const { pixels, count, size, labels } = new DatasetsStore(db).allPixels(summary.datasetId)
    let data: Float32Array
    let dim: number
    if (summary.space === 'raw') {
      data = Float32Array.from(pixels, (v) => v / 255)
      dim = size
    } else {
      const embeddings = new RunsStore(db).embeddings(summary.runId!)
      if (!embeddings)
        throw new Error('This run has no codes yet: let it finish training, then project it.')
      data = embeddings.codes
      dim = embeddings.dims
    }
    const n = data.length / dim
    if (n !== count) throw new Error('The run’s codes do not match its dataset’s items.')
    const { dims } = summary.params
    let coords: Float32Array
    let explained: number[] | undefined
    if (summary.method === 'pca') {
      const result = await pca(data, n, dim, Math.min(dims, dim), {
        seed: summary.params.seed,
        signal,
        onProgress: (fraction) => send({ type: 'progress', phase: 'layout', fraction }),
      })
      coords = result.coords
      explained = result.explained
    } else {
      coords = await umapLayout(
        data,
        n,
        dim,
        { ...summary.params },
        {
          signal,
          onProgress: (phase, fraction) => send({ type: 'progress', phase, fraction }),
          onLayout: (layout, epoch, epochs) =>
            send({ type: 'progress', phase: 'layout', fraction: epoch / epochs, layout }),
        },
      )
    }
    send({ type: 'progress', phase: 'quality', fraction: 0 })
    const classes = classesOf(labels)
    const { k, seed } = projectionQualitySettings
    const sample = Math.min(n, projectionQualitySettings.sample)
    const quality: ProjectionQuality = {
      trustworthiness: await trustworthiness(data, dim, coords, dims, n, { k, sample, seed }),
      knnAccuracy: classes
        ? await knnLeaveOneOut(coords, dims, classes, { k, sample, seed })
        : null,
      silhouette: classes ? silhouette(coords, dims, classes, { sample, seed }).score : null,
      sample,
      ...(explained ? { explained } : {}),
    }
    projections.complete(start.projectionId, {
      coords,
      rows: n,
      quality,
      seconds: (performance.now() - started) / 1000,
    })
    send({ type: 'finished', status: 'completed' })
  } catch (error) {
    const { status, message } = failureOf(error, signal)
    projections.finish(start.projectionId, status, message)
    send({ type: 'finished', status, error: message })
  } finally {
    db.close()
  }
}

serveJob(run)
