// runs.export (docs/data.md, "Data out"): a trained run's embeddings as CSV, JSON, .npy or
// Parquet, a TensorBoard projector bundle, or its model in TensorFlow.js format or as ONNX.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { CheckedParamsOf } from '../contract'
import { StudioError } from '../errors'
import type { DatasetsStore } from '../store/datasets-store'
import type { RunSummary, RunsStore } from '../store/runs-store'
import type { ClusteringsStore } from '../store/clusterings-store'
import type { ProjectionsStore } from '../store/projections-store'
import type { Clustering } from '../shared/clusterings'
import type { Projection } from '../shared/projections'
import { trainConfig } from '../shared/train-config'
import { exportEmbeddings, type EmbeddingsSource } from './embeddings'
import type { ExportProgress } from './files'
import { embeddedPages } from './items'
import { exportProjector } from './projector'
import { exportOnnx } from './onnx-model'
import { exportParquet, type TableSource } from './parquet'
import { exportModel, type ModelSource } from './tfjs-model'

export interface ExportStores {
  runs: RunsStore
  datasets: DatasetsStore
  /** for Parquet's cluster and layout columns */
  clusterings?: ClusteringsStore
  projections?: ProjectionsStore
}

/** Writes the export under `out` and returns the paths of the files written. */
export async function exportRun(
  stores: ExportStores,
  params: CheckedParamsOf<'runs.export'>,
  progress: ExportProgress = {},
): Promise<{ files: string[] }> {
  const run = stores.runs.get(params.id)
  const out = resolve(params.out)
  switch (params.kind) {
    case 'embeddings': {
      if ((await kindOf(out)) === 'folder')
        throw new StudioError(
          'bad-params',
          `${out} is a folder: name the file to write the embeddings to.`,
        )
      if (params.format === 'parquet') {
        // paths as stored, made relative to the imported folders by the table itself
        const table = tableOf(stores, run, params, embeddingsOf(stores, run, undefined))
        return { files: await exportParquet(out, table, params.overwrite) }
      }
      const source = embeddingsOf(stores, run, params.uploadsDir)
      return {
        files: await exportEmbeddings(out, params.format, source, params.overwrite),
      }
    }
    case 'projector': {
      await refuseFile(out)
      const dataset = stores.datasets.get(run.datasetId)
      const image = {
        width: dataset.width,
        height: dataset.height,
        channels: dataset.channels === 'rgb' ? (3 as const) : (1 as const),
      }
      const source = { ...embeddingsOf(stores, run, params.uploadsDir), name: run.name, image }
      return { files: await exportProjector(out, source, params.overwrite, progress) }
    }
    case 'model': {
      await refuseFile(out)
      const source = modelSourceOf(stores, run)
      return { files: await exportModel(out, source, params.overwrite, progress) }
    }
    case 'onnx': {
      await refuseFile(out)
      const source = modelSourceOf(stores, run)
      return { files: await exportOnnx(out, source, params.overwrite, progress) }
    }
  }
}

function embeddingsOf(
  stores: ExportStores,
  run: RunSummary,
  uploadsDir: string | undefined,
): EmbeddingsSource {
  const embeddings = stores.runs.embeddings(run.id)
  if (!embeddings)
    throw new StudioError(
      'not-found',
      `Run ${run.id} has no embeddings yet: it must finish training first.`,
    )
  return {
    embeddings,
    pages: () => embeddedPages(stores.datasets, run.datasetId, embeddings, run.id, uploadsDir),
  }
}

/**
 * The Parquet table's sources: the clustering and layouts asked for, else the run's latest
 * finished clustering (not a sweep) and its latest finished 2-D and 3-D layouts of the codes.
 */
function tableOf(
  stores: ExportStores,
  run: RunSummary,
  params: CheckedParamsOf<'runs.export'>,
  source: EmbeddingsSource,
): TableSource {
  const dataset = stores.datasets.get(run.datasetId)
  let clustering: Clustering | null = null
  const clusterings = stores.clusterings
  if (clusterings) {
    const id =
      params.clusteringId ??
      clusterings.list(run.id).find((c) => c.status === 'completed' && c.method !== 'sweep')?.id
    if (id !== undefined) {
      clustering = clusterings.withArrays(id)
      if (clustering.runId !== run.id)
        throw new StudioError('bad-params', `Clustering ${id} is not of run ${run.id}.`)
      if (!clustering.assignments)
        throw new StudioError(
          'bad-params',
          `Clustering ${id} has not finished: export it once it has.`,
        )
    }
  }
  const layouts: Projection[] = []
  const projections = stores.projections
  if (projections) {
    const ofRun = projections
      .list(run.datasetId)
      .filter((p) => p.runId === run.id && p.space === 'latent')
    const chosen = params.projectionIds
      ? params.projectionIds.map((id) => {
          const found = ofRun.find((p) => p.id === id)
          if (!found)
            throw new StudioError(
              'bad-params',
              `Projection ${id} is not a layout of run ${run.id}'s codes.`,
            )
          return found
        })
      : ([2, 3] as const).flatMap((dims) => {
          const latest = ofRun.find((p) => p.status === 'completed' && p.params.dims === dims)
          return latest ? [latest] : []
        })
    for (const summary of chosen) {
      const layout = projections.withCoords(summary.id)
      if (!layout.coords)
        throw new StudioError(
          'bad-params',
          `Projection ${summary.id} has not finished: export it once it has.`,
        )
      if (layouts.some((l) => l.params.dims === layout.params.dims))
        throw new StudioError('bad-params', 'Choose at most one 2-D and one 3-D layout.')
      layouts.push(layout)
    }
  }
  return { ...source, roots: dataset.sources, uploadsDir: params.uploadsDir, clustering, layouts }
}

/** The model of the best checkpoint (lowest validation loss), else of the last one. */
function modelSourceOf(stores: ExportStores, run: RunSummary): ModelSource {
  const best = stores.runs.checkpoint(run.id, 'best')
  const checkpoint = best ?? stores.runs.checkpoint(run.id, 'last')
  if (!checkpoint)
    throw new StudioError(
      'not-found',
      `Run ${run.id} has no checkpoint yet: it must train at least one epoch.`,
    )
  const config = trainConfig.safeParse(run.config)
  if (!config.success)
    throw new StudioError('internal', `The configuration of run ${run.id} is unreadable.`)
  const { id, name, width, height, channels } = stores.datasets.get(run.datasetId)
  return {
    runId: run.id,
    runName: run.name,
    config: config.data,
    dataset: { id, name, width, height, channels },
    checkpoint,
    checkpointKind: best ? 'best' : 'last',
  }
}

async function kindOf(path: string): Promise<'file' | 'folder' | null> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file'
  } catch {
    return null
  }
}

async function refuseFile(out: string): Promise<void> {
  if ((await kindOf(out)) === 'file')
    throw new StudioError('bad-params', `${out} is a file: name a folder to write the export to.`)
}
