// Data-parallel training on the wasm and cpu backends. tfjs-wasm runs on one thread in Node, so
// on its own it leaves every other core idle. Here helper threads (train.worker.ts) each take a
// share of every batch and share its gradients through shared memory; then each thread takes the
// optimiser step for its own part of the variables and publishes the new values, which the others
// load before the next step.
// Measured on a 2-core machine, the 784-500-500-2000-10 model at batch 256 on wasm: a 10,000-image
// epoch took 7.0 s on one thread and 4.7–4.9 s on two.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs-core'
import { parameterCount, type AutoencoderSpec } from '../models/architecture'
import type { Shape3 } from '../models/conv'
import type { BackendName } from './backend'
import type { TrainConfig } from '../shared/train-config'
import type {
  HelperCluster,
  HelperDeep,
  HelperOutcome,
  HelperReply,
  HelperRequest,
  HelperSetup,
  Layout,
} from './helper-messages'
import { workerEntry } from '../worker-entry'

/** The rows of a batch one thread takes: `count` rows from `from`. */
export interface Share {
  from: number
  count: number
}

/** Splits `rows` into `threads` nearly equal shares; the first is the main thread's. */
export function sharesOf(rows: number, threads: number): Share[] {
  const shares: Share[] = []
  let from = 0
  for (let t = 0; t < threads; t++) {
    const count = Math.floor((rows * (t + 1)) / threads) - Math.floor((rows * t) / threads)
    shares.push({ from, count })
    from += count
  }
  return shares
}

/** Rows a thread should at least get: below this a matMul's speed falls off. */
const minRowsPerThread = 32
/** parameters × training rows of one epoch below which a helper costs more than it saves */
const minWork = 2e9
const maxThreads = 4

/**
 * How many threads to split each batch over: 1 on native TensorFlow (it has its own threads), on
 * the GPU (one device), for the sparse KL term (its ρ̂ is a mean over the whole batch), and for
 * small jobs.
 */
export function threadsFor(
  backend: BackendName,
  config: TrainConfig,
  trainRows: number,
  spec: AutoencoderSpec,
  cores = availableParallelism(),
): number {
  // native TensorFlow has threads of its own; the GPU is one device, with no shared memory
  if (backend === 'tensorflow' || backend === 'webgpu' || config.sparseKL) return 1
  if (parameterCount(spec) * trainRows < minWork) return 1
  const rows = config.batchSize * (config.denoising?.samples ?? 1)
  return Math.max(1, Math.min(cores, maxThreads, Math.floor(rows / minRowsPerThread)))
}

interface WasmMemory {
  wasm: { HEAPU8: Uint8Array }
  dataIdMap: { get(dataId: object): { memoryOffset: number | null } | undefined }
}

/**
 * A float32 tensor's values where the wasm backend keeps them, without copying (dataSync copies
 * them into a new array: 13 MB a step for the N2D model); null on other backends. Read or write
 * it at once: the view is stale once the wasm memory grows.
 */
function heapView(tensor: tf.Tensor): Float32Array | null {
  const backend = tf.backend() as unknown as Partial<WasmMemory>
  if (tensor.dtype !== 'float32' || !backend.wasm?.HEAPU8 || !backend.dataIdMap) return null
  const offset = backend.dataIdMap.get(tensor.dataId)?.memoryOffset
  if (offset == null) return null
  return new Float32Array(backend.wasm.HEAPU8.buffer, offset, tensor.size)
}

/** Contiguous runs of variables, one per thread, of nearly equal numbers of parameters. */
export function layoutOf(sizes: number[], threads: number): Layout {
  const offsets: number[] = []
  let total = 0
  for (const size of sizes) {
    offsets.push(total)
    total += size
  }
  const bounds = [0]
  for (let t = 1; t < threads; t++) {
    let i = bounds[t - 1]
    while (i < sizes.length && offsets[i] + sizes[i] / 2 < (total * t) / threads) i++
    bounds.push(i)
  }
  bounds.push(sizes.length)
  return {
    offsets,
    sizes,
    total,
    parts: Array.from({ length: threads }, (_, t) => [bounds[t], bounds[t + 1]]),
  }
}

/** Variables (or their gradients) `from`…`to`−1, into their places in `target`. */
export function writeTensors(
  tensors: tf.Tensor[],
  target: Float32Array,
  layout: Layout,
  [from, to]: [number, number] = [0, tensors.length],
): void {
  for (let i = from; i < to; i++)
    target.set(heapView(tensors[i]) ?? (tensors[i].dataSync() as Float32Array), layout.offsets[i])
}

/** Variable `i`'s run of `source`, as a tensor of its shape. */
function tensorAt(source: Float32Array, layout: Layout, i: number, shape: number[]): tf.Tensor {
  return tf.tensor(source.subarray(layout.offsets[i], layout.offsets[i] + layout.sizes[i]), shape)
}

/**
 * Sets the variables outside `[from, to)` from `source`. Not in place: the wasm backend's matMul
 * keeps its weights packed by tensor, so new values need a new tensor.
 */
export function readVariables(
  variables: tf.Variable[],
  source: Float32Array,
  layout: Layout,
  [from, to]: [number, number] = [0, 0],
): void {
  tf.tidy(() => {
    variables.forEach((variable, i) => {
      if (i < from || i >= to) variable.assign(tensorAt(source, layout, i, variable.shape))
    })
  })
}

/**
 * One thread's part of the optimiser step: for each of its variables, the gradient is the mean
 * over the batch, Σ_t weight_t·g_t with weight_t a thread's share of the rows; `own` are this
 * thread's gradients, `shared[t]` every thread's in shared memory.
 */
export function stepPart(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  own: tf.Tensor[],
  shared: Float32Array[],
  weights: number[],
  self: number,
  layout: Layout,
): void {
  const [from, to] = layout.parts[self]
  if (from === to) return
  tf.tidy(() => {
    const grads = variables.slice(from, to).map((variable, k) => {
      const i = from + k
      const terms = weights.map((weight, t) =>
        tf.mul(t === self ? own[i] : tensorAt(shared[t], layout, i, variable.shape), weight),
      )
      return { name: variable.name, tensor: tf.addN(terms) }
    })
    optimizer.applyGradients(grads)
  })
}

/** The optimiser a config asks for. */
export function optimizerFor(config: TrainConfig): tf.Optimizer {
  return config.optimizer === 'adam'
    ? tf.train.adam(config.learningRate)
    : tf.train.momentum(config.learningRate, config.momentum)
}

/** What helper threads are started with. */
export interface HelperOptions {
  variables: tf.Variable[]
  pixels: Uint8Array
  size: number
  image: Shape3
  config: TrainConfig
  backend: BackendName
  /** the helpers refine for deep clustering: `variables` are then stepVariables' */
  deep?: HelperDeep
}

/**
 * Helper threads, started for one training run and stopped with it. A step: `step` sends each
 * helper its share of the batch; each thread computes its share's gradients and shares them;
 * `update` has each helper step its part of the variables while the main thread steps its own
 * (`stepPart`) and publishes them (`publish`); then `load` takes the helpers' parts.
 */
export class TrainHelpers {
  /** the current weights, each part written by the thread that steps it */
  private readonly weights: Float32Array
  /** per thread (the main thread first), its gradients of the last step */
  readonly gradients: Float32Array[]
  private failure: Error | null = null
  private closed = false
  private waiting: ((reply: HelperReply | Error) => void)[] = []

  private constructor(
    private readonly workers: Worker[],
    readonly layout: Layout,
    weights: SharedArrayBuffer,
    gradients: SharedArrayBuffer[],
  ) {
    this.weights = new Float32Array(weights)
    this.gradients = gradients.map((buffer) => new Float32Array(buffer))
    workers.forEach((worker, index) => {
      worker.on('message', (reply: HelperReply) => this.settle(index, reply))
      worker.on('error', (error) => this.fail(error))
      worker.on('exit', (code) => this.fail(new Error(`a training thread stopped (code ${code})`)))
    })
  }

  /**
   * Helpers for a job on `rows` images: `threads` in all (the main one included) when given,
   * else threadsFor's choice on the backend in use; null when that is one thread.
   */
  static forJob(
    rows: number,
    spec: AutoencoderSpec,
    threads: number | undefined,
    options: Omit<HelperOptions, 'backend'>,
  ): TrainHelpers | null {
    const backend = tf.getBackend() as BackendName
    const wanted = threads ?? threadsFor(backend, options.config, rows, spec)
    return wanted > 1 ? TrainHelpers.start(wanted - 1, { ...options, backend }) : null
  }

  /**
   * `count` helpers for `variables` (in the order lossAndGrads returns them), or null when no
   * worker script can be found; they read the images from a shared copy of `pixels`.
   */
  static start(count: number, options: HelperOptions): TrainHelpers | null {
    const entry = workerEntry('train', import.meta.dirname)
    if (!entry || count < 1) return null
    const layout = layoutOf(
      options.variables.map((v) => v.size),
      count + 1,
    )
    const weights = new SharedArrayBuffer(layout.total * 4)
    writeTensors(options.variables, new Float32Array(weights), layout)
    const gradients = Array.from(
      { length: count + 1 },
      () => new SharedArrayBuffer(layout.total * 4),
    )
    const setup = {
      backend: options.backend,
      config: options.config,
      image: options.image,
      size: options.size,
      pixels: sharedCopy(options.pixels),
      weights,
      gradients,
      layout,
      deep: options.deep ?? null,
    }
    const workers = Array.from(
      { length: count },
      (_, index) =>
        new Worker(entry.script, {
          eval: entry.eval,
          workerData: { ...setup, thread: index + 1 } satisfies HelperSetup,
        }),
    )
    return new TrainHelpers(workers, layout, weights, gradients)
  }

  get count(): number {
    return this.workers.length
  }

  /**
   * Sends each helper its share of the batch (rows of `order`); the promise gives their
   * outcomes once all have shared their gradients. Call before computing the main share.
   */
  step(
    order: Int32Array,
    shares: Share[],
    seed: number,
    clusterOf?: (share: Share) => HelperCluster,
  ): Promise<HelperOutcome[]> {
    return this.ask((index) => {
      const share = shares[index]
      return {
        type: 'step',
        rows: order.slice(share.from, share.from + share.count),
        seed,
        cluster: clusterOf?.(share) ?? null,
      }
    }) as Promise<HelperOutcome[]>
  }

  /**
   * The rest of a step the helpers share (`helped`, from `step`), once the main thread has its
   * own gradients: every thread steps its part of `variables` with the rows-weighted mean
   * gradient, and the main thread loads the others' parts. Gives the helpers' outcomes and each
   * thread's weight, the main thread's first.
   */
  async finish(
    helped: Promise<HelperOutcome[]>,
    own: { grads: tf.Tensor[]; rows: number },
    optimizer: tf.Optimizer,
    variables: tf.Variable[],
  ): Promise<{ others: HelperOutcome[]; weights: number[] }> {
    this.shareGradients(own.grads)
    const others = await helped
    const rowsIn = own.rows + others.reduce((sum, o) => sum + o.rows, 0)
    const weights = [own.rows, ...others.map((o) => o.rows)].map((rows) => rows / rowsIn)
    const updated = this.update(weights)
    stepPart(optimizer, variables, own.grads, this.gradients, weights, 0, this.layout)
    this.publish(variables)
    await updated
    this.load(variables)
    return { others, weights }
  }

  /** The main thread's gradients, for the helpers' parts of the step. */
  private shareGradients(grads: tf.Tensor[]): void {
    writeTensors(grads, this.gradients[0], this.layout)
  }

  /** Has each helper step its part of the variables, with the threads' weights (by rows). */
  private async update(weights: number[]): Promise<void> {
    await this.ask(() => ({ type: 'update', weights }))
  }

  /** The main thread's part of the variables, for the helpers to load. */
  private publish(variables: tf.Variable[]): void {
    writeTensors(variables, this.weights, this.layout, this.layout.parts[0])
  }

  /** The helpers' parts of the variables, as they stepped them. */
  private load(variables: tf.Variable[]): void {
    readVariables(variables, this.weights, this.layout, this.layout.parts[0])
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  // The helpers keep this lock-step exchange rather than jobs/worker-rpc.ts: a step's data is in
  // shared memory and every helper answers before any goes on, so a message only says "go" and
  // "done"; request ids, notes and transfers would add nothing, and the shared buffers ride on
  // workerData when the helper starts.
  private ask(message: (index: number) => HelperRequest): Promise<unknown[]> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.closed) return Promise.reject(new Error('The training threads have stopped.'))
    return Promise.all(
      this.workers.map(
        (worker, index) =>
          new Promise((resolve, reject) => {
            this.waiting[index] = (reply) => {
              if (reply instanceof Error) reject(reply)
              else if ('error' in reply) reject(new Error(reply.error))
              else resolve(reply)
            }
            worker.postMessage(message(index))
          }),
      ),
    )
  }

  private settle(index: number, reply: HelperReply): void {
    const waiting = this.waiting[index]
    delete this.waiting[index]
    waiting?.(reply)
  }

  private fail(error: Error): void {
    if (this.closed) return
    this.failure ??= error
    const waiting = this.waiting
    this.waiting = []
    for (const settle of waiting) settle?.(error)
  }
}

/** `bytes` in shared memory (itself, if it already is). */
function sharedCopy(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length))
  shared.set(bytes)
  return shared
}
