// The run that the runs.export integration specs export: a temp workspace with a dataset of
// tricky paths and labels, and a run built from a real model's packed weights and codes.

import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { onTestFinished } from 'vitest'
import type { ParamsOf } from '../../main/core/contract'
import { paramSchemas } from '../../main/core/contract'
import { exportRun, type ExportStores } from '../../main/core/export'
import { encode, reconstruct, type Autoencoder } from '../../main/core/models/autoencoder'
import { DatasetsStore } from '../../main/core/store/datasets-store'
import { RunsStore, type EpochRow } from '../../main/core/store/runs-store'
import { openWorkspace, type Workspace } from '../../main/core/store/workspace'
import { packWeights } from '../../main/core/training/checkpoint'
import { trainConfig, type TrainConfigInput } from '../../main/core/shared/train-config'
import { createModelFor } from '../../main/core/training/step'
import { tempDir, tempWorkspaceFile } from '../helpers/temp'

export const width = 6
export const height = 5
/** Paths and labels that break naive CSV and TSV writers. */
export const items: { path: string; label: string | null }[] = [
  { path: '/data/digits/plain.png', label: '0' },
  { path: '/data/digits/with, comma.png', label: 'one, two' },
  { path: '/data/digits/say "cheese".png', label: '"quoted"' },
  { path: '/data/digits/line\nbreak.png', label: null },
  { path: '/data/digits/tab\there.png', label: 'tab\tlabel' },
  { path: '/data/dígitos/ünïcode é.png', label: 'ünï' },
  { path: '/data/digits/cr\r\nlf.png', label: 'multi\nline' },
]

export interface Fixture {
  db: Workspace
  file: string
  stores: ExportStores
  datasetId: number
  itemIds: Int32Array
  /** the items' pixels / 255, N × H·W·C */
  x: tf.Tensor2D
  dir: string
}

export function fixture(channels: 'grey' | 'rgb' = 'grey'): Fixture {
  const file = tempWorkspaceFile()
  const db = openWorkspace(file)
  onTestFinished(() => {
    if (db.open) db.close()
  })
  const datasets = new DatasetsStore(db)
  const options = { size: 6, channels, fit: 'pad', background: 'black', maxPixels: 1e8 } as const
  const datasetId = datasets.create({
    name: 'tricky',
    width,
    height,
    channels,
    options,
    sources: [],
  })
  const size = width * height * (channels === 'rgb' ? 3 : 1)
  const pixels = Uint8Array.from({ length: items.length * size }, (_, i) => (i * 53 + 17) % 256)
  const ids = datasets.addItems(
    datasetId,
    0,
    items.map((item, i) => ({
      ...item,
      pixels: pixels.subarray(i * size, (i + 1) * size),
      contentHash: null,
      duplicateOf: null,
    })),
  )
  datasets.markReady(datasetId)
  const x = tf.div(tf.tensor2d(pixels, [items.length, size], 'float32'), 255) as tf.Tensor2D
  onTestFinished(() => x.dispose())
  return {
    db,
    file,
    stores: { datasets, runs: new RunsStore(db) },
    datasetId,
    itemIds: Int32Array.from(ids),
    x,
    dir: tempDir('studio-export-'),
  }
}

export function epoch(n: number): EpochRow {
  const loss = 1 / n
  return {
    epoch: n,
    trainLoss: loss,
    valLoss: loss,
    mse: loss,
    terms: {},
    seconds: 1,
    samplesPerSec: 100,
  }
}

/** A model as training builds it, with biases made non-zero so the export must carry them. */
export function model(config: TrainConfigInput, seed: number, channels: number): Autoencoder {
  const built = createModelFor(trainConfig.parse({ ...config, seed }), [height, width, channels])
  ;[...built.encoder, ...built.decoder].forEach((layer, i) =>
    layer.b.assign(tf.randomUniform(layer.b.shape, -0.5, 0.5, 'float32', seed * 100 + i)),
  )
  return built
}

export interface BuiltRun {
  runId: number
  /** the best checkpoint's model (epoch 1), absent when only 'last' is stored */
  best: Autoencoder | null
  /** the last checkpoint's model (epoch 2), which also made the embeddings */
  last: Autoencoder
  codes: Float32Array
  errors: Float32Array
}

/**
 * A run as the training process leaves it: epoch 1 stored as best and last, epoch 2 as last
 * only, and the embeddings of the final model.
 */
export async function run(
  f: Fixture,
  config: TrainConfigInput = { hidden: [8], latent: 3, activation: 'elu' },
  options: { best?: boolean; embeddings?: boolean } = {},
): Promise<BuiltRun> {
  const { best: withBest = true, embeddings = true } = options
  const runs = f.stores.runs
  const runId = runs.create({
    datasetId: f.datasetId,
    name: 'tricky "run"',
    config: trainConfig.parse(config),
  })
  runs.start(runId, { backend: 'cpu', pid: process.pid })
  const channels = f.x.shape[1] / (width * height)
  const best = withBest ? model(config, 11, channels) : null
  const last = model(config, 12, channels)
  if (best)
    runs.addEpochWithCheckpoints(runId, epoch(1), [
      { kind: 'best', epoch: 1, ...(await packWeights(best)) },
      { kind: 'last', epoch: 1, ...(await packWeights(best)) },
    ])
  runs.addEpochWithCheckpoints(runId, epoch(2), [
    { kind: 'last', epoch: 2, ...(await packWeights(last)) },
  ])
  const codes = tf.tidy(() => encode(last, f.x).dataSync() as Float32Array)
  const errors = tf.tidy(
    () => tf.mean(tf.square(tf.sub(reconstruct(last, f.x), f.x)), 1).dataSync() as Float32Array,
  )
  if (embeddings) {
    runs.saveEmbeddings(runId, { codes, dims: last.spec.latent, errors, itemIds: f.itemIds })
    runs.finish(runId, { status: 'completed' })
  }
  return { runId, best, last, codes, errors }
}

export function exportOf(f: Fixture, params: ParamsOf<'runs.export'>) {
  return exportRun(f.stores, paramSchemas['runs.export'].parse(params))
}

export const codeOf = (built: BuiltRun, i: number) =>
  Array.from(built.codes.subarray(i * 3, i * 3 + 3))
