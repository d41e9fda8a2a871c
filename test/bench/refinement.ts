// The cluster bench's refinement check (issue 20): each deep method refines a trained
// autoencoder from k-means on its codes; does it end at or above the k-means it started from,
// and how much did it move? On Fashion-MNIST (the bench's own autoencoder) and on a second
// labelled set, scikit-learn's handwritten digits, with an autoencoder trained here.
import { join } from 'node:path'
import { deepCluster } from '../../main/core/clustering/deep-cluster'
import { ari, clusteringAccuracy, confusion, nmi } from '../../main/core/metrics/clusters'
import { disposeModel } from '../../main/core/models/autoencoder'
import { modelFromCheckpoint } from '../../main/core/reconstruction/decoder'
import {
  clusteringMethod,
  deepClusteringTolerance,
  deepClusteringUpdateInterval,
  methodParams,
  type DeepClusteringMethod,
} from '../../main/core/shared/clustering-methods'
import { trainConfig, type TrainConfig } from '../../main/core/shared/train-config'
import { packWeights } from '../../main/core/training/checkpoint'
import type { TrainingData } from '../../main/core/training/step'
import { train } from '../../main/core/training/train'
import { runPython, table } from './peer'

export interface Refined {
  set: string
  method: DeepClusteringMethod
  startAcc: number
  startNmi: number
  acc: number
  nmi: number
  ari: number
  moved: number
  stopped: string
  epochs: number
  threads: number
  seconds: number
}

const score = (assignments: Int32Array, labels: Int32Array) => {
  const counts = confusion(assignments, labels)
  return { acc: clusteringAccuracy(counts), nmi: nmi(counts), ari: ari(counts) }
}

/** One deep method from `checkpoint`, with the registry's defaults but `epochs`. */
export async function refine(
  set: string,
  method: DeepClusteringMethod,
  data: TrainingData,
  labels: Int32Array,
  config: TrainConfig,
  checkpoint: Parameters<typeof modelFromCheckpoint>[2],
  { k, nInit, seed, epochs }: { k: number; nInit: number; seed: number; epochs: number },
): Promise<Refined> {
  const copy = modelFromCheckpoint(config, data.image, checkpoint)
  const started = performance.now()
  const own = methodParams(method)
  try {
    const result = await deepCluster(copy, data, config, {
      method,
      k,
      nInit,
      seed,
      epochs,
      weight: own.weight!,
      learningRate: own.learningRate!,
      tolerance: deepClusteringTolerance,
      updateInterval: deepClusteringUpdateInterval,
    })
    const start = score(result.start, labels)
    const end = score(result.assignments, labels)
    return {
      set,
      method,
      startAcc: start.acc,
      startNmi: start.nmi,
      acc: end.acc,
      nmi: end.nmi,
      ari: end.ari,
      moved: result.moved,
      stopped: result.stopped,
      epochs: result.history.length,
      threads: result.threads,
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    disposeModel(copy)
  }
}

/** scikit-learn's digits: 1,797 images of 8×8, as bytes, with their labels; or why not. */
function digits(): { data: TrainingData; labels: Int32Array } | { missing: string } {
  const made = runPython<{ pixels: number[][]; labels: number[] }>(
    join(import.meta.dirname, 'digits.py'),
    [],
  )
  if ('missing' in made) return made
  const { pixels, labels } = made.result
  const bytes = Uint8Array.from(pixels.flat(), (v) => Math.round(v * 255))
  return {
    data: { pixels: bytes, count: labels.length, size: 64, image: [8, 8, 1] },
    labels: Int32Array.from(labels),
  }
}

/** The digits set: an autoencoder 64-256-128-10 trained here, then each method refines it. */
export async function digitsRefinement(
  methods: DeepClusteringMethod[],
  { seed, epochs }: { seed: number; epochs: number },
): Promise<Refined[] | { missing: string }> {
  const set = digits()
  if ('missing' in set) return set
  const config = trainConfig.parse({
    hidden: [256, 128],
    latent: 10,
    epochs: 60,
    learningRate: 0.003,
    batchSize: 64,
    validationSplit: 0,
    seed,
  })
  console.log(`  digits: training 64-256-128-10 for ${config.epochs} epochs on 1,797 images`)
  const { model } = await train(set.data, config)
  const checkpoint = await packWeights(model)
  disposeModel(model)
  const rows: Refined[] = []
  for (const method of methods)
    rows.push(
      await refine('digits', method, set.data, set.labels, config, checkpoint, {
        k: 10,
        nInit: 10,
        seed,
        epochs,
      }),
    )
  return rows
}

/** The refinement table and the goal: each method ≥ its k-means; IDEC above it on one set. */
export function printRefinement(rows: Refined[]): void {
  if (rows.length === 0) return
  console.log(
    `\n(c) refinement from k-means (T = ${deepClusteringUpdateInterval} iterations, tolerance ${deepClusteringTolerance})`,
  )
  table([
    ['set', 'method', 'k-means ACC', 'ACC', 'k-means NMI', 'NMI', 'moved', 'stopped', 'epochs'],
    ...rows.map((r) => [
      r.set,
      clusteringMethod(r.method).label,
      r.startAcc.toFixed(3),
      r.acc.toFixed(3),
      r.startNmi.toFixed(3),
      r.nmi.toFixed(3),
      `${(100 * r.moved).toFixed(1)} %`,
      r.stopped,
      r.epochs,
    ]),
  ])
  const below = rows.filter((r) => r.acc < r.startAcc)
  const idecAbove = rows.some((r) => r.method === 'idec' && r.acc > r.startAcc)
  console.log(
    `  goal: every method at or above its k-means's ACC: ${below.length === 0 ? 'met' : `not met (${below.map((r) => `${r.method} on ${r.set}`).join(', ')})`}; ` +
      `IDEC above it on at least one set: ${idecAbove ? 'met' : 'not met'}`,
  )
}
