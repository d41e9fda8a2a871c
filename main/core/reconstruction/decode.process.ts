// The decoder process: answers the reconstruction views' requests (gallery pages, denoising,
// interpolation, generation, first-layer units) off the process that answers the UI. It keeps
// each run's model, each dataset's pixels and recent gallery pages, so paging is quick.
import { StudioError } from '../errors'
import type {
  DecodeRequest,
  DenoiseResult,
  GalleryPage,
  ImageBatch,
} from '../shared/reconstructions'
import { ClusteringsStore } from '../store/clusterings-store'
import { DatasetsStore } from '../store/datasets-store'
import { RunsStore } from '../store/runs-store'
import { openWorkspace, type Workspace } from '../store/workspace'
import { useBackend } from '../training/backend'
import { trainConfig } from '../shared/train-config'
import { disposeModel, type Autoencoder } from '../models/autoencoder'
import { ReconstructionCache } from './decoder-cache'
import { differenceHeatmap, errorOrder } from './decoder-errors'
import { interpolate, manifoldGrid, sampleGrid, sweepDimension } from './decoder-generate'
import type { FromDecoder, ToDecoder } from './decoder-messages'
import { firstLayerFilters, topActivating } from './decoder-units'
import { denoiseRows, modelFromCheckpoint, reconstructRows } from './decoder'
import { parentChannel } from '../jobs/parent-channel'
import { embed } from '../training/embed'

const parent = parentChannel()

interface RunState {
  model: Autoencoder
  datasetId: number
  codes: Float32Array
  errors: Float32Array
  orders: Map<string, Int32Array>
}

interface DatasetState {
  pixels: Uint8Array
  size: number
  shape: { width: number; height: number; channels: 1 | 3 }
  labels: (string | null)[]
  paths: string[]
  itemIds: Int32Array
}

let db: Workspace | null = null
const runsState = new Map<number, RunState>()
const datasetsState = new Map<number, DatasetState>()
const cache = new ReconstructionCache(192 * 2 ** 20)

function stores() {
  if (!db) throw new Error('The decoder process has not started.')
  return { runs: new RunsStore(db), datasets: new DatasetsStore(db) }
}

function datasetOf(datasetId: number): DatasetState {
  let state = datasetsState.get(datasetId)
  if (!state) {
    const { datasets } = stores()
    const { pixels, size, image, labels, itemIds } = datasets.allPixels(datasetId)
    const facets = datasets.facets(datasetId)
    state = {
      pixels,
      size,
      shape: { height: image[0], width: image[1], channels: image[2] as 1 | 3 },
      labels,
      paths: facets.paths,
      itemIds,
    }
    datasetsState.clear() // one dataset's pixels at a time: 70,000 images are 55 MB
    datasetsState.set(datasetId, state)
  }
  return state
}

function runOf(runId: number): RunState {
  const { runs } = stores()
  const summary = runs.get(runId)
  const existing = runsState.get(runId)
  if (existing) return existing
  const checkpoint = runs.checkpoint(runId, 'last')
  const embeddings = runs.embeddings(runId)
  if (!checkpoint || !embeddings)
    throw new StudioError(
      'bad-params',
      'This run has no trained model yet: its reconstructions can be seen once training completes.',
    )
  const dataset = datasetOf(summary.datasetId)
  const { height, width, channels } = dataset.shape
  const model = modelFromCheckpoint(
    trainConfig.parse(summary.config),
    [height, width, channels],
    checkpoint,
  )
  for (const [id, old] of runsState) {
    disposeModel(old.model) // keep one model: switching runs is rare, memory is not free
    runsState.delete(id)
  }
  const state = {
    model,
    datasetId: summary.datasetId,
    codes: embeddings.codes,
    errors: embeddings.errors,
    orders: new Map<string, Int32Array>(),
  }
  runsState.set(runId, state)
  return state
}

/** The 1st and 99th percentiles of one code dimension over the dataset: its usual span. */
function spanOf(run: RunState, dim: number): [number, number] {
  const { latent } = run.model.spec
  const values = Float32Array.from(
    { length: run.codes.length / latent },
    (_, i) => run.codes[i * latent + dim],
  ).sort()
  return [values[Math.floor(values.length * 0.01)], values[Math.floor(values.length * 0.99)]]
}

/** The images at these positions, as one byte array. */
function rowsAt(dataset: DatasetState, positions: ArrayLike<number>): Uint8Array {
  const { size } = dataset
  const out = new Uint8Array(positions.length * size)
  for (let i = 0; i < positions.length; i++)
    out.set(dataset.pixels.subarray(positions[i] * size, (positions[i] + 1) * size), i * size)
  return out
}

function batchOf(dataset: DatasetState, count: number, images: Uint8Array): ImageBatch {
  return { count, ...dataset.shape, images }
}

function positionsChecked(dataset: DatasetState, positions: number[]): Int32Array {
  const total = dataset.pixels.length / dataset.size
  if (positions.some((p) => !Number.isInteger(p) || p < 0 || p >= total))
    throw new StudioError('bad-params', `Positions run from 0 to ${total - 1}.`)
  return Int32Array.from(positions)
}

/** Codes and errors of a run that has a checkpoint but none stored, from that checkpoint. */
async function embedRun(runId: number): Promise<{ rows: number }> {
  const { runs } = stores()
  const summary = runs.get(runId)
  const checkpoint = runs.checkpoint(runId, 'last')
  if (!checkpoint)
    throw new StudioError(
      'bad-params',
      `Run ${runId} stopped before its first epoch ended: it has no checkpoint to compute codes from.`,
    )
  const dataset = datasetOf(summary.datasetId)
  const { height, width, channels } = dataset.shape
  const model = modelFromCheckpoint(
    trainConfig.parse(summary.config),
    [height, width, channels],
    checkpoint,
  )
  try {
    const count = dataset.pixels.length / dataset.size
    const image: [number, number, number] = [height, width, channels]
    const data = { pixels: dataset.pixels, count, size: dataset.size, image }
    runs.saveEmbeddings(runId, { ...(await embed(model, data)), itemIds: dataset.itemIds })
    return { rows: count }
  } finally {
    disposeModel(model)
  }
}

async function answer(request: DecodeRequest): Promise<unknown> {
  if (request.op === 'embed') return embedRun(request.runId)
  const run = runOf(request.runId)
  const dataset = datasetOf(run.datasetId)
  const { size } = dataset
  const codeAt = (position: number) =>
    run.codes.slice(position * run.model.spec.latent, (position + 1) * run.model.spec.latent)
  switch (request.op) {
    case 'page': {
      const { cluster, kept } = request
      const key =
        `${request.order}:${request.label === undefined ? '*' : String(request.label)}` +
        (cluster ? `:c${cluster.clusteringId}=${cluster.index}` : '') +
        (kept ? `:k${kept.key}` : '')
      let order = run.orders.get(key)
      if (!order) {
        const keptMask = kept ? new Uint8Array(dataset.labels.length) : null
        if (keptMask) for (const p of kept!.positions) keptMask[p] = 1
        const assignments = cluster
          ? new ClusteringsStore(db!).withArrays(cluster.clusteringId).assignments
          : null
        if (cluster && !assignments)
          throw new StudioError('bad-params', 'That clustering has not finished.')
        const keep = (i: number) =>
          (request.label === undefined || dataset.labels[i] === request.label) &&
          (!assignments || assignments[i] === cluster!.index) &&
          (!keptMask || keptMask[i] === 1)
        const filter =
          request.label === undefined && !cluster && !keptMask
            ? undefined
            : Int32Array.from(dataset.labels.flatMap((_, i) => (keep(i) ? [i] : [])))
        order = errorOrder(run.errors, { worstFirst: request.order === 'worst', filter })
        run.orders.set(key, order)
        // filters come and go: keep the 32 most recent orders
        for (const stale of run.orders.keys()) if (run.orders.size > 32) run.orders.delete(stale)
      }
      const positions = order.subarray(request.offset, request.offset + request.limit)
      const reconstructions = await cache.load(
        {
          runId: request.runId,
          checkpoint: 'last',
          order: `${key}:${request.limit}`,
          page: request.offset,
        },
        () => reconstructRows(run.model, dataset.pixels, size, positions),
      )
      const originals = rowsAt(dataset, positions)
      const { width, height, channels } = dataset.shape
      const heatmaps = new Uint8Array(positions.length * width * height * 4)
      for (let i = 0; i < positions.length; i++)
        heatmaps.set(
          differenceHeatmap(
            originals.subarray(i * size, (i + 1) * size),
            reconstructions.subarray(i * size, (i + 1) * size),
            width,
            height,
            channels,
          ),
          i * width * height * 4,
        )
      const page: GalleryPage = {
        total: order.length,
        offset: request.offset,
        ...dataset.shape,
        positions: Int32Array.from(positions),
        errors: Float32Array.from(positions, (p) => run.errors[p]),
        paths: Array.from(positions, (p) => dataset.paths[p]),
        labels: Array.from(positions, (p) => dataset.labels[p]),
        originals,
        reconstructions: Uint8Array.from(reconstructions),
        heatmaps,
      }
      return page
    }
    case 'denoise': {
      const positions = positionsChecked(dataset, request.positions)
      const { corrupted, reconstructions } = await denoiseRows(
        run.model,
        dataset.pixels,
        size,
        positions,
        request,
      )
      const originals = rowsAt(dataset, positions)
      const result: DenoiseResult = {
        originals: batchOf(dataset, positions.length, originals),
        corrupted: batchOf(dataset, positions.length, corrupted),
        reconstructions: batchOf(dataset, positions.length, reconstructions),
      }
      return result
    }
    case 'interpolate': {
      positionsChecked(dataset, [request.from, request.to])
      const made = await interpolate(
        run.model,
        codeAt(request.from),
        codeAt(request.to),
        request.steps,
      )
      return batchOf(dataset, made.count, made.images)
    }
    case 'samples': {
      const made = await sampleGrid(run.model, request.count, request.seed)
      return batchOf(dataset, made.count, made.images)
    }
    case 'manifold': {
      let range: [number, number] | [[number, number], [number, number]] | undefined
      if (!run.model.spec.variational) {
        // a plain autoencoder's codes have no standard scale: span their 1st–99th percentiles
        range = [spanOf(run, request.dims[0]), spanOf(run, request.dims[1])]
      }
      const made = await manifoldGrid(run.model, request.size, {
        dims: request.dims,
        base: request.base === null ? undefined : codeAt(request.base),
        range,
      })
      return batchOf(dataset, made.count, made.images)
    }
    case 'sweep': {
      positionsChecked(dataset, [request.position])
      const [low, high] = spanOf(run, request.dim)
      const steps = Array.from(
        { length: request.steps },
        (_, i) => low + ((high - low) * i) / Math.max(1, request.steps - 1),
      )
      const made = await sweepDimension(run.model, codeAt(request.position), request.dim, steps)
      return batchOf(dataset, made.count, made.images)
    }
    case 'filters': {
      const { count, images } = await firstLayerFilters(run.model)
      return batchOf(dataset, count, images)
    }
    case 'topActivating': {
      const top = await topActivating(run.model, dataset.pixels, size, request.unit, request.count)
      return { positions: top }
    }
  }
}

function send(message: FromDecoder): void {
  parent.send(message)
}

// one request at a time, in the order they came: tfjs work is synchronous anyway
let queue: Promise<void> = Promise.resolve()
parent.onMessage((message: ToDecoder) => {
  if (message.type === 'start') {
    db = openWorkspace(message.workspaceFile, { nativeBinding: message.nativeBinding })
    queue = queue.then(async () => {
      await useBackend('auto')
    })
    return
  }
  const { requestId, request } = message
  queue = queue.then(async () => {
    try {
      send({ type: 'reply', requestId, result: await answer(request) })
    } catch (error) {
      const code = error instanceof StudioError ? error.code : 'internal'
      send({
        type: 'error',
        requestId,
        error: { code, message: error instanceof Error ? error.message : String(error) },
      })
    }
  })
})
parent.onParentGone(() => {
  db?.close()
  process.exit(0)
})
