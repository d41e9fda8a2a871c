// runs.export (docs/data.md, "Data out"): a trained run's embeddings as CSV, JSON or .npy, a
// TensorBoard projector bundle, or its model in TensorFlow.js format.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { CheckedParamsOf } from '../contract'
import { StudioError } from '../errors'
import type { DatasetsStore } from '../store/datasets-store'
import type { RunSummary, RunsStore } from '../store/runs-store'
import { trainConfig } from '../shared/train-config'
import { exportEmbeddings, type EmbeddingsSource } from './embeddings'
import { embeddedPages } from './items'
import { exportProjector } from './projector'
import { exportModel } from './tfjs-model'

export interface ExportStores {
  runs: RunsStore
  datasets: DatasetsStore
}

/** Writes the export under `out` and returns the paths of the files written. */
export async function exportRun(
  stores: ExportStores,
  params: CheckedParamsOf<'runs.export'>,
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
      return {
        files: await exportEmbeddings(
          out,
          params.format,
          embeddingsOf(stores, run, params.uploadsDir),
          params.overwrite,
        ),
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
      return { files: await exportProjector(out, source, params.overwrite) }
    }
    case 'model': {
      await refuseFile(out)
      return { files: await exportModelOf(stores, run, out, params.overwrite) }
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

/** The best checkpoint (lowest validation loss), else the last one. */
function exportModelOf(
  stores: ExportStores,
  run: RunSummary,
  out: string,
  overwrite: boolean,
): Promise<string[]> {
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
  return exportModel(
    out,
    {
      runId: run.id,
      runName: run.name,
      config: config.data,
      dataset: { id, name, width, height, channels },
      checkpoint,
      checkpointKind: best ? 'best' : 'last',
    },
    overwrite,
  )
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
