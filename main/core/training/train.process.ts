// The training process: one run per process, so native TensorFlow is loaded once, a crash or an
// out-of-memory takes only this process down, and the process answering the UI stays responsive.
import type { Shape3 } from '../models/conv'
import * as tf from '@tensorflow/tfjs-core'
import { reconstruct, type Autoencoder } from '../models/autoencoder'
import { diagnose } from '../metrics/diagnostics'
import { DatasetsStore } from '../store/datasets-store'
import { RunsStore, type NewCheckpoint } from '../store/runs-store'
import { openWorkspace } from '../store/workspace'
import { useBackend, type BackendInfo, type BackendName } from './backend'
import { packWeights, unpackWeights, type Manifest } from './checkpoint'
import { modelSpec } from './config'
import { trainConfig, type TrainConfig } from '../shared/train-config'
import { threadsFor } from './data-parallel'
import type { FromTrainer, ToTrainer } from './messages'
import { watchedPositions, type ReconstructionPreview } from '../shared/runs'
import { trainingRows } from './train'
import { createModelFor, type TrainingData } from './step'
import { onAbort } from '../jobs/cancel'
import { parent, parentGone, serveJob } from '../jobs/compute-child'
import { embed, reconstructionSpread } from './embed'
import { gpuLostWarning, trainingWarnings } from './warnings'
import { loseGpuForTests, trainWithFallback } from './gpu-loss'

function send(message: FromTrainer): void {
  parent.send(message)
}

const previewCount = 8

/** The first images (spread over the dataset) and their reconstructions, as bytes. */
async function preview(
  model: Autoencoder,
  data: TrainingData,
  shape: { width: number; height: number; channels: 1 | 3 },
): Promise<ReconstructionPreview> {
  const count = Math.min(previewCount, data.count)
  const stride = Math.max(1, Math.floor(data.count / count))
  const originals = new Uint8Array(count * data.size)
  for (let i = 0; i < count; i++)
    originals.set(
      data.pixels.subarray(i * stride * data.size, (i * stride + 1) * data.size),
      i * data.size,
    )
  const decoded = tf.tidy(() =>
    reconstruct(model, tf.div(tf.tensor2d(originals, [count, data.size], 'float32'), 255)),
  )
  const values = await decoded.data().finally(() => decoded.dispose())
  const reconstructions = Uint8Array.from(values, (v) => Math.round(v * 255))
  return { ...shape, originals, reconstructions }
}

/** The diagnostics (docs/models.md, "Diagnostics") on up to 5,000 images over the dataset. */
async function diagnoseSample(model: Autoencoder, data: TrainingData, labels: (string | null)[]) {
  const count = Math.min(5000, data.count)
  const stride = data.count / count
  const rows = Array.from({ length: count }, (_, i) => Math.floor(i * stride))
  const x = new Float32Array(count * data.size)
  rows.forEach((row, i) => {
    for (let k = 0; k < data.size; k++)
      x[i * data.size + k] = data.pixels[row * data.size + k] / 255
  })
  const images = tf.tensor2d(x, [count, data.size])
  try {
    return await diagnose(
      model,
      images,
      rows.map((row) => labels[row]),
    )
  } finally {
    images.dispose()
  }
}

/** The model as the last checkpoint left it, and the epoch to go on after. */
function resumePoint(runs: RunsStore, runId: number, config: TrainConfig, image: Shape3) {
  const checkpoint = runs.checkpoint(runId, 'last')
  if (!checkpoint)
    throw new Error('This run has no checkpoint to resume from: train it again instead.')
  const model = createModelFor(config, image)
  unpackWeights(model, checkpoint.weights, checkpoint.manifest as Manifest)
  return { model, afterEpoch: checkpoint.epoch }
}

async function run(
  start: Extract<ToTrainer, { type: 'start' }>,
  signal: AbortSignal,
  control: Pauses,
) {
  const db = openWorkspace(start.workspaceFile, { nativeBinding: start.nativeBinding })
  const runs = new RunsStore(db)
  try {
    const summary = runs.get(start.runId)
    const config = trainConfig.parse(summary.config)
    let backend = await useBackend(config.backend)
    runs.start(start.runId, { backend: backend.name, pid: process.pid })
    const datasets = new DatasetsStore(db)
    const { itemIds, labels, ...data } = datasets.allPixels(summary.datasetId)
    const threadsOn = (name: BackendName) =>
      threadsFor(
        name,
        config,
        trainingRows(data.count, config.validationSplit),
        modelSpec(config, data.image),
      )
    let threads = threadsOn(backend.name)
    const notesOf = (info: BackendInfo) =>
      threads > 1 ? [...info.notes, `${threads} threads share each batch`] : info.notes
    let notes = notesOf(backend)
    send({ type: 'started', backend: backend.name, notes, threads })
    const dataset = datasets.get(summary.datasetId)
    const shape = {
      width: dataset.width,
      height: dataset.height,
      channels: dataset.channels === 'rgb' ? (3 as const) : (1 as const),
    }
    if (data.count < 2) throw new Error('The dataset needs at least 2 images to train on.')
    // codes stored each epoch so the latent space can be watched moving
    const watched = watchedPositions(data.count)
    const started = performance.now()
    let seen = 0
    let lastSent = 0
    let bestLoss = Infinity
    const resume = start.resume ? resumePoint(runs, start.runId, config, data.image) : undefined
    let gpuLost: string | undefined
    const result = await trainWithFallback(
      data,
      config,
      {
        signal,
        threads,
        waitWhilePaused: () => control.waitWhilePaused(),
        onBatch: (progress) => {
          seen += config.batchSize
          const now = performance.now()
          if (now - lastSent < 250 && progress.batch < progress.batches) return
          lastSent = now
          const samplesPerSec = (seen * 1000) / (now - started)
          const perEpoch = progress.batches * config.batchSize
          const left =
            (config.epochs - progress.epoch) * perEpoch +
            (progress.batches - progress.batch) * config.batchSize
          send({
            type: 'progress',
            ...progress,
            samplesPerSec,
            epochs: config.epochs,
            eta: left / samplesPerSec,
          })
        },
        onEpoch: async (report, model) => {
          const packed = await packWeights(model)
          const score = report.valLoss ?? report.trainLoss
          const checkpoints: NewCheckpoint[] = [{ kind: 'last', epoch: report.epoch, ...packed }]
          if (score < bestLoss) {
            bestLoss = score
            checkpoints.push({ kind: 'best', epoch: report.epoch, ...packed })
          }
          const sample = await embed(model, data, watched)
          runs.addEpochWithCheckpoints(start.runId, report, checkpoints, sample.codes)
          send({
            type: 'epoch',
            report,
            epochs: config.epochs,
            preview: await preview(model, data, shape),
          })
          loseGpuForTests(report.epoch)
        },
      },
      resume,
      {
        backend,
        // a lost GPU: the run goes on on the CPU path from its last checkpoint (gpu-loss.ts)
        lastCheckpoint: () =>
          runs.checkpoint(start.runId, 'last')
            ? resumePoint(runs, start.runId, config, data.image)
            : undefined,
        onFallback: (fallback) => {
          backend = fallback.backend
          gpuLost = fallback.note
          threads = threadsOn(backend.name)
          notes = notesOf(backend)
          runs.setBackend(start.runId, backend.name)
          send({ type: 'started', backend: backend.name, notes, threads })
          return { threads }
        },
      },
    )
    if (result.cancelled && signal.reason === parentGone) {
      runs.finish(start.runId, { status: 'interrupted', error: orphanedMessage })
      return
    }
    // A stopped run keeps what it learned up to its last checkpoint: its codes and errors are
    // stored as a completed run's are, so it can be analysed, exported and continued.
    const stopped = result.cancelled ? runs.checkpoint(start.runId, 'last') : null
    if (result.cancelled && !stopped) {
      runs.finish(start.runId, { status: 'cancelled' })
      send({ type: 'finished', status: 'cancelled' })
      return
    }
    if (stopped) unpackWeights(result.model, stopped.weights, stopped.manifest as Manifest)
    const embedded = await embed(result.model, data)
    const diagnostics = stopped ? undefined : await diagnoseSample(result.model, data, labels)
    runs.saveEmbeddings(start.runId, { ...embedded, itemIds })
    const stored = runs.epochs(start.runId)
    const warnings = trainingWarnings(stored, await reconstructionSpread(result.model, data))
    if (gpuLost) warnings.unshift(gpuLostWarning(gpuLost))
    const last = stopped ? stored.find((e) => e.epoch === stopped.epoch) : result.epochs.at(-1)
    const seconds = (performance.now() - started) / 1000
    const status = stopped ? 'cancelled' : 'completed'
    runs.finish(start.runId, {
      status,
      summary: {
        trainLoss: last?.trainLoss ?? null,
        valLoss: last?.valLoss ?? null,
        mse: embedded.errors.reduce((sum, e) => sum + e, 0) / embedded.errors.length,
        samplesPerSec:
          result.epochs.reduce((sum, e) => sum + e.samplesPerSec, 0) /
          Math.max(1, result.epochs.length),
        seconds,
        epochs: stored.length,
        bestEpoch: result.bestEpoch,
        stoppedEarly: result.stoppedEarly,
        backend: backend.name,
        threads,
        backendNotes: notes,
        diagnostics,
        warnings,
      },
    })
    send({ type: 'finished', status })
  } catch (error) {
    // A full disk stops the run where it stands: the epoch being written is rolled back, the
    // ones before and their checkpoint stay, and it continues once there is room again.
    const full = isDiskFull(error)
    const status = full ? 'interrupted' : 'failed'
    const message = full ? diskFullMessage : error instanceof Error ? error.message : String(error)
    try {
      runs.finish(start.runId, { status, error: message })
    } finally {
      send({ type: 'finished', status, error: message })
    }
  } finally {
    db.close()
  }
}

const diskFullMessage =
  'The disk is full, so the last epoch could not be saved. The epochs before it and their checkpoint are kept: free some space, then continue the run.'

const orphanedMessage =
  'The process that started this training ended (it was closed or killed), so training stopped. Finished epochs and the last checkpoint are kept: continue the run.'

function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_FULL' || code === 'ENOSPC'
}

/** Pause and resume: what a run's process hears besides start and cancel. */
class Pauses {
  private paused: { promise: Promise<void>; resume: () => void } | null = null

  pause() {
    if (this.paused) return
    let resume = () => {}
    const promise = new Promise<void>((resolve) => (resume = resolve))
    this.paused = { promise, resume }
  }

  resume() {
    this.paused?.resume()
    this.paused = null
  }

  waitWhilePaused(): Promise<void> {
    return this.paused?.promise ?? Promise.resolve()
  }
}

const pauses = new Pauses()
// Cancelled, or the parent (the app, `studio serve`, a `studio train` command) was killed, so
// nobody can pause or stop this training any more: either way the signal aborts, a paused run
// wakes to see it, and the run ends (interrupted, when the parent went) before the process leaves.
serveJob<Extract<ToTrainer, { type: 'start' }>, Extract<ToTrainer, { type: 'pause' | 'resume' }>>(
  (start, signal) => {
    onAbort(signal, () => pauses.resume())
    return run(start, signal, pauses)
  },
  (message) => (message.type === 'pause' ? pauses.pause() : pauses.resume()),
)
