// Deep clustering (docs/analysis.md, "Clustering"; issue 7): a trained autoencoder refined for its
// clusters, starting from k-means on its codes.
// Each method's term and loop policy is its own file in clustering/deep/ (dcn.ts, dec.ts, idec.ts).
// The loop follows the papers' regime. Methods that train their centres (DEC, IDEC) recompute P
// over the whole dataset every `updateInterval` iterations and stop once fewer than `tolerance`
// of the images changed cluster since the last update; DCN reassigns every image once an epoch
// and stops on the same tolerance. IDEC's γ is given on the papers' scale and multiplied by the
// reconstruction's (models/cluster-term.ts, reconstructionScale). On wasm a
// large enough job splits each batch over threads as training does (training/data-parallel.ts):
// an IDEC or DCN epoch of the N2D model on 70,000 images took 35 s on two threads, 53 s on one.
import * as tf from '@tensorflow/tfjs-core'
import type { Autoencoder } from '../models/autoencoder'
import { reconstructionScale, softAssignment, targetDistribution } from '../models/cluster-term'
import { stepVariables } from '../models/objective'
import type { DeepClusteringMethod } from '../shared/clustering-methods'
import type { DeepClusteringEpoch } from '../shared/clusterings'
import type { TrainConfig } from '../shared/train-config'
import { TrainHelpers } from '../training/data-parallel'
import { seededRandom, shuffledIndices, stepSeed } from '../shared/random'
import { batchStep, objectiveOf, type TrainingData } from '../training/step'
import { deepMethodPolicies } from './deep'
import { encodeRows, valuesOf } from '../reconstruction/decoder'
import { assign, kmeans } from './kmeans'

export interface DeepClusterOptions {
  method: DeepClusteringMethod
  k: number
  /** k-means restarts for the starting centres */
  nInit: number
  seed: number
  /** passes over the data, at most */
  epochs: number
  /** λ of the joint objective (dcn), γ of IDEC on the papers' scale; DEC's KL stands alone */
  weight: number
  /** stop when fewer than this fraction of the images change cluster between two checks */
  tolerance: number
  /**
   * DEC, IDEC: iterations between updates of the target P (and checks of the tolerance); at most
   * one epoch's, so that a small set sees P anew every epoch
   */
  updateInterval: number
  learningRate: number
  /** threads to share each batch; by default as training would (threadsFor) */
  threads?: number
  signal?: AbortSignal
  onProgress?: (fraction: number) => void
}

export interface DeepClusterResult {
  assignments: Int32Array
  /** each image's distance to its centre, in the refined code space */
  distances: Float32Array
  /** DEC and IDEC: each image's soft assignment q to its cluster (DCN's are hard: none) */
  certainty?: Float32Array
  inertia: number
  /** the refined codes, N × z */
  codes: Float32Array
  history: DeepClusteringEpoch[]
  /** threads that shared each batch */
  threads: number
  /** the k-means assignment the refinement started from */
  start: Int32Array
  /** the fraction of the images whose cluster differs from the starting k-means's */
  moved: number
  /** why it stopped: the tolerance was met, or the epochs ran out */
  stopped: 'tolerance' | 'epochs'
  /** the batches it trained on */
  iterations: number
  /** the term's weight as applied, after scaling (IDEC) or fixing (DEC) */
  appliedWeight: number
}

const everyImage = (count: number) => Int32Array.from({ length: count }, (_, i) => i)

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('cancelled')
}

/** Q for every code (N × k) and P from it, with the most likely cluster of each row and its q. */
async function targets(codes: Float32Array, rows: number, centroids: tf.Tensor, k: number) {
  const q = await valuesOf(
    () => softAssignment(tf.tensor2d(codes, [rows, centroids.shape[1]!]), centroids).q,
  )
  const frequencies = new Float64Array(k)
  const assignments = new Int32Array(rows)
  const certainty = new Float32Array(rows)
  for (let i = 0; i < rows; i++) {
    let best = 0
    for (let j = 0; j < k; j++) {
      frequencies[j] += q[i * k + j]
      if (q[i * k + j] > q[i * k + best]) best = j
    }
    assignments[i] = best
    certainty[i] = q[i * k + best]
  }
  return { p: targetDistribution(q, rows, k, frequencies), assignments, certainty }
}

function changedFraction(before: Int32Array, after: Int32Array): number {
  let changed = 0
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) changed++
  return changed / before.length
}

/**
 * Refines `model` (its weights change) for k clusters of `data`, trained with `config`'s own
 * objective and batch size, and returns the clusters it ends with.
 */
export async function deepCluster(
  model: Autoencoder,
  data: TrainingData,
  config: TrainConfig,
  options: DeepClusterOptions,
): Promise<DeepClusterResult> {
  const { method, k, seed, signal } = options
  const policy = deepMethodPolicies[method]
  const progress = options.onProgress ?? (() => {})
  const all = everyImage(data.count)
  const latent = model.spec.latent
  const encodeAll = () => encodeRows(model, data.pixels, data.size, all)

  let codes = await encodeAll()
  const start = await kmeans(codes, data.count, latent, {
    k,
    nInit: options.nInit,
    seed,
    signal,
    onProgress: (f) => progress(0.1 * f),
  })
  const centres = Float32Array.from(start.centroids)
  // DEC and IDEC train the centres with the network; DCN moves them by its own rule
  // (made in tidy: tf.variable keeps its initial tensor registered otherwise)
  const trained =
    policy.centres === 'moved'
      ? null
      : tf.tidy(() => tf.variable(tf.tensor2d(centres, [k, latent])))
  const counts = new Float64Array(k).fill(100) // DCN's initial counts: early steps move centres little
  let assignments = start.assignments
  const objective = objectiveOf(config)
  const optimizer = tf.train.adam(options.learningRate)
  const random = seededRandom(seed)
  const batchSize = config.batchSize
  const buffer = new Float32Array(batchSize * data.size)
  const batches = Math.ceil(data.count / batchSize)
  const history: DeepClusteringEpoch[] = []
  const weight =
    policy.fixedWeight ??
    (policy.weightPerValue
      ? options.weight * reconstructionScale(config.reconstruction, data.size)
      : options.weight)
  // the batches split over threads as in training (training/data-parallel.ts)
  const variables = stepVariables(model, policy.encoderOnly, trained)
  const helpers = TrainHelpers.forJob(data.count, model.spec, options.threads, {
    variables,
    pixels: data.pixels,
    size: data.size,
    image: data.image,
    config: { ...config, optimizer: 'adam', learningRate: options.learningRate },
    deep: { method, weight, k },
  })
  const threads = 1 + (helpers?.count ?? 0)
  const job = { model, data, buffer, config, objective, optimizer, variables, helpers }
  let stopped: DeepClusterResult['stopped'] = 'epochs'
  let target: Float32Array | null = null
  let iteration = 0
  const updateInterval = Math.min(options.updateInterval, batches)
  /** the fraction changed at the epoch's last check */
  let lastChange: number | null

  /** DEC, IDEC: P anew from the current codes; true when the tolerance says stop. */
  const updateTarget = async (): Promise<boolean> => {
    if (iteration > 0) codes = await encodeAll()
    const current = await targets(codes, data.count, trained!, k)
    target = current.p
    const changed = iteration > 0 ? changedFraction(assignments, current.assignments) : null
    assignments = current.assignments
    if (changed === null) return false
    lastChange = changed
    return changed < options.tolerance
  }

  try {
    epochs: for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const started = performance.now()
      const order = shuffledIndices(data.count, random)
      let lossSum = 0
      let clusterSum = 0
      let steps = 0
      lastChange = null
      for (let b = 0; b < batches; b++) {
        aborted(signal)
        if (trained && iteration % updateInterval === 0 && (await updateTarget())) {
          stopped = 'tolerance'
          if (steps > 0) history.push(epochEntry(epoch, lossSum, clusterSum, steps, started))
          history.at(-1)!.changed = lastChange
          break epochs
        }
        const from = b * batchSize
        const batch = order.subarray(from, Math.min(from + batchSize, data.count))
        const { values, shares } = await batchStep(job, batch, stepSeed(seed, epoch, b), {
          term: { method, weight, centroids: trained ?? centres },
          targetOf: (share) => target && gatherTarget(target, batch, share.from, share.count, k),
          centres: trained ? null : centres,
        })
        if (!Number.isFinite(values.total))
          throw new Error(
            `The loss diverged (${values.total}) in epoch ${epoch}: lower the weight of the clustering term or the learning rate.`,
          )
        // DCN's centres move by the batch's codes, share by share in the batch's order
        if (!trained)
          for (const share of shares)
            moveCentres(centres, counts, share.code!, share.assigned!, latent)
        lossSum += values.total
        clusterSum += values.terms.clustering
        steps++
        iteration++
        progress(0.1 + (0.85 * (epoch - 1 + (b + 1) / batches)) / options.epochs)
        // let the process hear cancel between batches
        if (b % 4 === 3) await new Promise((resolve) => setImmediate(resolve))
      }
      history.push(epochEntry(epoch, lossSum, clusterSum, steps, started))
      history.at(-1)!.changed = lastChange
      codes = await encodeAll()
      if (!trained) {
        // DCN's reassignment of every image to its nearest (moved) centre
        const next = assign(codes, data.count, latent, centres).assignments
        lastChange = changedFraction(assignments, next)
        assignments = next
        history[history.length - 1].changed = lastChange
        if (lastChange < options.tolerance) {
          stopped = 'tolerance'
          break
        }
      }
    }
    aborted(signal)
    progress(0.97)
    const final = trained ? ((await trained.data()) as Float32Array) : centres
    let certainty: Float32Array | undefined
    if (trained) {
      const last = await targets(codes, data.count, trained, k)
      const epoch = history.at(-1)
      if (epoch && epoch.changed === null)
        epoch.changed = changedFraction(assignments, last.assignments)
      assignments = last.assignments
      certainty = last.certainty
    }
    const distances = new Float32Array(data.count)
    let inertia = 0
    for (let i = 0; i < data.count; i++) {
      const c = assignments[i]
      let sum = 0
      for (let d = 0; d < latent; d++) sum += (codes[i * latent + d] - final[c * latent + d]) ** 2
      distances[i] = Math.sqrt(sum)
      inertia += sum
    }
    return {
      assignments,
      distances,
      inertia,
      certainty,
      codes,
      history,
      threads,
      start: start.assignments,
      moved: changedFraction(start.assignments, assignments),
      stopped,
      iterations: iteration,
      appliedWeight: weight,
    }
  } finally {
    optimizer.dispose()
    trained?.dispose()
    await helpers?.close()
  }
}

function epochEntry(
  epoch: number,
  lossSum: number,
  clusterSum: number,
  steps: number,
  started: number,
): DeepClusteringEpoch {
  return {
    epoch,
    loss: lossSum / steps,
    clusterLoss: clusterSum / steps,
    changed: null,
    seconds: (performance.now() - started) / 1000,
  }
}

/** Rows of the target P for the batch `order[from … from+count)`. */
function gatherTarget(
  p: Float32Array,
  order: Int32Array,
  from: number,
  count: number,
  k: number,
): Float32Array {
  const rows = new Float32Array(count * k)
  for (let r = 0; r < count; r++)
    rows.set(p.subarray(order[from + r] * k, order[from + r] * k + k), r * k)
  return rows
}

/** DCN's centre update: each code pulls its centre by 1/count, count growing per assignment. */
function moveCentres(
  centres: Float32Array,
  counts: Float64Array,
  codes: Float32Array,
  assigned: Int32Array,
  latent: number,
): void {
  for (let i = 0; i < assigned.length; i++) {
    const c = assigned[i]
    counts[c]++
    const rate = 1 / counts[c]
    for (let d = 0; d < latent; d++)
      centres[c * latent + d] += rate * (codes[i * latent + d] - centres[c * latent + d])
  }
}
