// One step of training: the objective and its gradients on a batch, or on one thread's share of
// it (the helper threads run the same function), with its noise; and what a step needs to know
// about the data and the model. The training loop (train.ts) and deep clustering's refinement
// (clustering/deep-cluster.ts) take their steps here.
import * as tf from '@tensorflow/tfjs-core'
import { createAutoencoder, type Autoencoder } from '../models/autoencoder'
import type { ClusterTerm } from '../models/cluster-term'
import type { Shape3 } from '../models/conv'
import { lossAndGrads, type Objective, type StepNoise, type StepOutcome } from '../models/objective'
import { deepMethodPolicies } from '../clustering/deep'
import type { DeepClusteringMethod } from '../shared/clustering-methods'
import { modelSpec } from './config'
import type { TrainConfig } from '../shared/train-config'
import { sharesOf, TrainHelpers, type Share } from './data-parallel'

/** The images of a dataset: N rows of `size` bytes (H·W·C, uint8). */
export interface TrainingData {
  pixels: Uint8Array
  count: number
  size: number
  /** [height, width, channels] of one image */
  image: Shape3
}

export function objectiveOf(config: TrainConfig): Objective {
  return {
    reconstruction: config.reconstruction,
    weightDecay: config.weightDecay,
    sparseKL: config.sparseKL,
    sparseL1: config.sparseL1,
    contractive: config.contractive,
    vaeBeta: config.variational?.beta ?? 0,
  }
}

export function createModelFor(config: TrainConfig, image: Shape3): Autoencoder {
  return createAutoencoder(modelSpec(config, image), config.seed)
}

/** Rows `indices[from … from+count)` of the data as floats in [0, 1], into `out`. */
export function gatherRows(
  data: TrainingData,
  indices: Int32Array,
  from: number,
  count: number,
  out: Float32Array,
): Float32Array {
  const { size, pixels } = data
  for (let r = 0; r < count; r++) {
    const source = indices[from + r] * size
    const target = r * size
    for (let k = 0; k < size; k++) out[target + k] = pixels[source + k] / 255
  }
  return out.subarray(0, count * size)
}

/** Corruption, reparameterisation and contractive noise for one step, from a seed. */
export function drawNoise(x: tf.Tensor, config: TrainConfig, seed: number): StepNoise {
  let input = x
  const d = config.denoising
  if (d) {
    const u = tf.randomUniform(x.shape, 0, 1, 'float32', seed)
    if (d.kind === 'mask') input = tf.mul(x, tf.step(tf.sub(u, d.level)))
    else if (d.kind === 'gaussian')
      input = tf.clipByValue(
        tf.add(x, tf.randomNormal(x.shape, 0, d.level, 'float32', seed + 1)),
        0,
        1,
      )
    else
      input = tf.where(
        tf.less(u, d.level / 2),
        tf.zerosLike(x),
        tf.where(tf.less(u, d.level), tf.onesLike(x), x),
      )
  }
  const rows = x.shape[0]
  return {
    input,
    eps: config.variational
      ? tf.randomNormal([rows, config.latent], 0, 1, 'float32', seed + 2)
      : null,
    perturbation: config.contractive
      ? tf.randomNormal(x.shape, 0, config.contractive.sigma, 'float32', seed + 3)
      : null,
  }
}

/** What one thread's share of a batch gives: its gradients, rows, and mean objective terms. */
export interface ShareStep extends StepValues {
  grads: tf.Tensor[]
  /** rows seen, copies for a denoising model with samples > 1 included */
  rows: number
  /** with a distance term (DCN): the share's codes and each one's nearest centre */
  code?: Float32Array
  assigned?: Int32Array
}

/** What deep clustering (clustering/deep-cluster.ts) adds to a thread's share of a step. */
export interface ShareCluster {
  method: DeepClusteringMethod
  /** λ of DCN's distance term, γ of IDEC's KL term; DEC's KL has weight 1 */
  weight: number
  /** DEC, IDEC: the centres trained with the network; DCN: the centres, held for the step */
  centroids: tf.Variable | Float32Array
  /** DEC, IDEC: the target P's rows for this share, rows × k */
  target: Float32Array | null
}

/**
 * The objective and its gradients on the images `indices` (one thread's share of a batch, or all
 * of it), with the noise drawn from `seed`; the values are read back, the gradients kept.
 * With `cluster`, the step is deep clustering's: its term added (DEC: on the clean images'
 * codes alone), one copy of each image.
 */
export async function shareStep(
  model: Autoencoder,
  data: TrainingData,
  indices: Int32Array,
  buffer: Float32Array,
  config: TrainConfig,
  objective: Objective,
  seed: number,
  cluster?: ShareCluster,
): Promise<ShareStep> {
  const pixels = gatherRows(data, indices, 0, indices.length, buffer)
  const copies = cluster ? 1 : (config.denoising?.samples ?? 1)
  let names: string[] = []
  const outcome = tf.tidy(() => {
    const clean = tf.tensor2d(pixels, [indices.length, data.size])
    const x = copies > 1 ? tf.tile(clean, [copies, 1]) : clean
    const dec = !!cluster && deepMethodPolicies[cluster.method].encoderOnly
    const noise = dec ? { input: x, eps: null, perturbation: null } : drawNoise(x, config, seed)
    const step = lossAndGrads(model, x, noise, objective, {
      cluster: cluster && termOf(cluster, indices.length, model.spec.latent),
      encoderOnly: dec,
    })
    names = Object.keys(step.terms)
    const values = tf.stack([step.total, ...names.map((n) => step.terms[n as TermName]!)])
    const nearest = step.assignments && !cluster?.target
    // DCN moves its centres by the codes and their nearest centres
    const nearestOf = nearest ? [step.code, step.assignments!] : []
    return { values, grads: step.grads, rows: x.shape[0], nearestOf }
  })
  // read back without blocking: WebGPU has no synchronous read in Node (docs/architecture.md,
  // "Backends"); on wasm and cpu the values are there at once
  const read = Promise.all([outcome.values, ...outcome.nearestOf].map((t) => t.data()))
  const [values, code, assigned] = (await read.finally(() =>
    tf.dispose([outcome.values, ...outcome.nearestOf]),
  )) as [Float32Array, Float32Array?, Int32Array?]
  return {
    grads: outcome.grads,
    rows: outcome.rows,
    total: values[0],
    terms: Object.fromEntries(names.map((n, i) => [n, values[i + 1]])),
    ...(code && assigned ? { code, assigned } : {}),
  }
}

/** The cluster term of a share of `rows` images, as tensors (inside the step's tidy). */
function termOf(cluster: ShareCluster, rows: number, latent: number): ClusterTerm {
  const { centroids, target } = cluster
  const centres =
    centroids instanceof Float32Array
      ? tf.tensor2d(centroids, [centroids.length / latent, latent])
      : centroids
  const policy = deepMethodPolicies[cluster.method]
  if (policy.term === 'distance')
    return { kind: 'distance', weight: cluster.weight, centroids: centres }
  return {
    kind: 'kl',
    weight: policy.fixedWeight ?? cluster.weight,
    centroids: centres,
    target: tf.tensor2d(target!, [rows, target!.length / rows]),
  }
}

type TermName = keyof StepOutcome['terms']

export interface StepValues {
  total: number
  terms: Record<string, number>
}

/** What every step of a training (or refining) loop shares. */
export interface BatchJob {
  model: Autoencoder
  data: TrainingData
  /** room for the main thread's rows */
  buffer: Float32Array
  config: TrainConfig
  objective: Objective
  optimizer: tf.Optimizer
  variables: tf.Variable[]
  helpers: TrainHelpers | null
}

/** Deep clustering's part of a batch step: the term, and each share's part of it. */
export interface BatchCluster {
  term: Omit<ShareCluster, 'target'>
  /** DEC, IDEC: P's rows for a share of the batch */
  targetOf(share: Share): Float32Array | null
  /** DCN: the centres, held for the step */
  centres: Float32Array | null
}

/**
 * One optimiser step on the images `batch`: the main thread's share here, the others' on the
 * helper threads at the same time; the gradient is the mean over all of the batch's rows. Gives
 * the batch's values, and each share's outcome (the main thread's first) for DCN's centres.
 */
export async function batchStep(
  job: BatchJob,
  batch: Int32Array,
  seed: number,
  cluster?: BatchCluster,
): Promise<{ values: StepValues; shares: Pick<ShareStep, 'code' | 'assigned'>[] }> {
  const { helpers, optimizer, variables } = job
  const shares = sharesOf(batch.length, 1 + (helpers?.count ?? 0))
  const helped = helpers?.step(
    batch,
    shares.slice(1),
    seed,
    cluster && ((share) => ({ target: cluster.targetOf(share), centres: cluster.centres })),
  )
  const own = shares[0]
  const mine = await shareStep(
    job.model,
    job.data,
    batch.subarray(own.from, own.from + own.count),
    job.buffer,
    job.config,
    job.objective,
    seed,
    cluster && { ...cluster.term, target: cluster.targetOf(own) },
  )
  try {
    if (!helpers || !helped) {
      optimizer.applyGradients(
        variables.map((variable, i) => ({ name: variable.name, tensor: mine.grads[i] })),
      )
      return { values: mine, shares: [mine] }
    }
    const { others, weights } = await helpers.finish(helped, mine, optimizer, variables)
    return { values: meanValues([mine, ...others], weights), shares: [mine, ...others] }
  } finally {
    tf.dispose(mine.grads)
  }
}

/** The batch's values from its threads' shares, each weighted by its share of the rows. */
function meanValues(shares: StepValues[], weights: number[]): StepValues {
  const mean = (pick: (v: StepValues) => number) =>
    shares.reduce((sum, v, t) => sum + pick(v) * weights[t], 0)
  return {
    total: mean((v) => v.total),
    terms: Object.fromEntries(
      Object.keys(shares[0].terms).map((n) => [n, mean((v) => v.terms[n])]),
    ),
  }
}
