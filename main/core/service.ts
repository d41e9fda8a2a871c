import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { EventName, Events, MethodName } from './contract'
import type { EventListener, Handlers } from './dispatch'
import { importDataset } from './datasets/import'
import { StudioError } from './errors'
import type { AppInfo } from './shared/types'
import { DatasetsStore } from './store/datasets-store'
import {
  openWorkspace,
  readOnlyError,
  readOnlyOf,
  type ReadOnly,
  type Workspace,
} from './store/workspace'
import { RunsStore } from './store/runs-store'
import { Trainers, type TrainerEntry } from './training/trainers'
import { variantOf } from './shared/train-config'
import { projectionHandlers } from './projection/handlers'
import { Projectors } from './projection/projectors'
import { ProjectionsStore } from './store/projections-store'
import { clusteringHandlers } from './clustering/handlers'
import { Clusterers } from './clustering/clusterers'
import { ClusteringsStore } from './store/clusterings-store'
import { Decoders } from './reconstruction/decoders'
import { reconstructionHandlers } from './reconstruction/handlers'
import { Recovery } from './jobs/recovery'
import { Owners } from './store/owners'
import { forkSpawner, type Spawner } from './jobs/spawner'
import { processEntry, sampleDir, sampleFiles } from './layout'
import { ItemsStore } from './store/items-store'
import { itemHandlers, itemWriteMethods } from './items/handlers'
import { RunCodes } from './runs/codes'
import { runHandlers } from './runs/handlers'

export interface StudioOptions {
  workspaceFile: string
  /** resources/ of the app: the sample dataset lives in resources/sample */
  resourcesDir: string
  shell: AppInfo['shell']
  version: string
  /** better_sqlite3.node for this runtime, when it is not the default build (Electron) */
  nativeBinding?: string
  /** starts the compute processes: Node's fork by default, utility processes in the Electron app */
  spawner?: Spawner
  /** the training process's script; by default the built one beside the app (layout.ts), else the source */
  trainerEntry?: TrainerEntry
  /** the projection process's script, likewise */
  projectorEntry?: TrainerEntry
  /** the clustering process's script, likewise */
  clustererEntry?: TrainerEntry
  /** the decoder process's script, likewise */
  decoderEntry?: TrainerEntry
}

/** The methods that change the workspace: refused, before they start anything, when it is read-only. */
const writeMethods: readonly MethodName[] = [
  'datasets.rename',
  'datasets.delete',
  'datasets.import',
  'datasets.importSample',
  'runs.start',
  'runs.pause',
  'runs.resume',
  'runs.cancel',
  'runs.continue',
  'runs.rename',
  'runs.setNotes',
  'runs.delete',
  'projections.start',
  'projections.cancel',
  'clusterings.start',
  'clusterings.sweep',
  'clusterings.cancel',
  'clusterings.renameCluster',
  'clusterings.delete',
  ...itemWriteMethods,
]

/** The application core: one open workspace, the method handlers, and the event stream. */
export class Studio {
  readonly db: Workspace
  readonly datasets: DatasetsStore
  readonly runs: RunsStore
  readonly trainers: Trainers
  readonly projections: ProjectionsStore
  readonly projectors: Projectors
  readonly clusterings: ClusteringsStore
  readonly clusterers: Clusterers
  readonly decoders: Decoders
  readonly items: ItemsStore
  /** a run's codes, computed from its checkpoint where it ended without them */
  readonly codes: RunCodes
  readonly handlers: Handlers
  /** this process as one of the workspace's owners: the jobs it starts name it */
  readonly owners: Owners
  private readonly recovery: Recovery
  /** why the workspace cannot be written; undefined when it can */
  readonly readOnly: ReadOnly | undefined
  private readonly listeners = new Set<EventListener>()
  private readonly jobs = new Map<string, AbortController>()

  constructor(readonly options: StudioOptions) {
    this.db = openWorkspace(options.workspaceFile, {
      nativeBinding: options.nativeBinding,
      check: true,
    })
    this.readOnly = readOnlyOf(this.db)
    // A read-only workspace: this process registers no owner and recovers nothing (both write).
    this.owners = new Owners(this.db, options.shell, { register: !this.readOnly })
    this.datasets = new DatasetsStore(this.db, this.owners.id)
    this.runs = new RunsStore(this.db, this.owners.id)
    const spawn = options.spawner ?? forkSpawner
    this.trainers = new Trainers({
      runs: this.runs,
      workspaceFile: options.workspaceFile,
      nativeBinding: options.nativeBinding,
      entry: options.trainerEntry ?? processEntry('train'),
      spawn,
      events: {
        progress: (payload) => this.emit('training:progress', payload),
        epoch: (payload) => this.emit('training:epoch', payload),
        status: (payload) => this.emit('training:status', payload),
      },
    })
    this.projections = new ProjectionsStore(this.db, this.owners.id)
    this.projectors = new Projectors({
      projections: this.projections,
      workspaceFile: options.workspaceFile,
      nativeBinding: options.nativeBinding,
      entry: options.projectorEntry ?? processEntry('project'),
      spawn,
      events: {
        progress: (payload) => this.emit('projection:progress', payload),
        status: (payload) => this.emit('projection:status', payload),
      },
    })
    this.clusterings = new ClusteringsStore(this.db, this.owners.id)
    this.clusterers = new Clusterers({
      clusterings: this.clusterings,
      workspaceFile: options.workspaceFile,
      nativeBinding: options.nativeBinding,
      entry: options.clustererEntry ?? processEntry('cluster'),
      spawn,
      events: {
        progress: (payload) => this.emit('clustering:progress', payload),
        status: (payload) => this.emit('clustering:status', payload),
      },
    })
    this.decoders = new Decoders({
      entry: options.decoderEntry ?? processEntry('decode'),
      spawn,
      workspaceFile: options.workspaceFile,
      nativeBinding: options.nativeBinding,
    })
    this.items = new ItemsStore(this.db)
    this.codes = new RunCodes(this)
    this.handlers = this.createHandlers()
    const readOnly = this.readOnly
    if (readOnly)
      for (const method of writeMethods)
        (this.handlers as Record<MethodName, unknown>)[method] = () => {
          throw readOnlyError(options.workspaceFile, readOnly)
        }
    this.recovery = new Recovery({
      owners: this.owners,
      datasets: this.datasets,
      runs: this.runs,
      projections: this.projections,
      clusterings: this.clusterings,
      mine: {
        runs: () => this.trainers.running,
        projections: () => this.projectors.running,
        clusterings: () => this.clusterers.running,
      },
      emit: (event, payload) => this.emit(event, payload),
    })
    // Jobs whose process is gone (killed, or the app closed mid-way) end now; those of another
    // live process are left to it.
    if (!this.readOnly) {
      this.recovery.recover()
      this.recovery.start()
    }
  }

  get sampleDir(): string {
    return sampleDir(this.options.resourcesDir)
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    const args = [event, payload] as Parameters<EventListener>
    for (const listener of this.listeners) listener(...args)
  }

  close(): void {
    this.recovery.stop()
    for (const job of this.jobs.values()) job.abort()
    this.trainers.stopAll()
    this.projectors.stopAll()
    this.clusterers.stopAll()
    this.decoders.stop()
    // An import aborted just now removes its dataset once its current step ends; were the
    // process to exit first, the next opener removes it (its owner is gone).
    this.owners.release()
    this.db.close()
  }

  /** Runs cancellable work under a job id the caller chose (so it can cancel before the result). */
  private async runJob<T>(jobId: string | undefined, work: (signal: AbortSignal) => Promise<T>) {
    const id = jobId ?? crypto.randomUUID()
    if (this.jobs.has(id)) throw new StudioError('bad-params', `Job ${id} is already running.`)
    const controller = new AbortController()
    this.jobs.set(id, controller)
    try {
      return await work(controller.signal)
    } finally {
      this.jobs.delete(id)
    }
  }

  private createHandlers(): Handlers {
    return {
      ...itemHandlers({
        ...this,
        job: (jobId, work) => this.runJob(jobId, work),
        emit: (event, payload) => this.emit(event, payload),
        labelsChanged: () => this.decoders.forget(),
      }),
      ...runHandlers(this),
      ...projectionHandlers(this),
      ...reconstructionHandlers({
        codes: this.codes,
        runs: this.runs,
        datasets: this.datasets,
        decoders: this.decoders,
        job: (jobId, work) => this.runJob(jobId, work),
        emit: (event, payload) => this.emit(event, payload),
      }),
      ...clusteringHandlers({
        codes: this.codes,
        runs: this.runs,
        datasets: this.datasets,
        clusterings: this.clusterings,
        projections: this.projections,
        clusterers: this.clusterers,
        job: (jobId, work) => this.runJob(jobId, work),
        emit: (event, payload) => this.emit(event, payload),
      }),
      'app.info': () => ({
        version: this.options.version,
        workspace: this.options.workspaceFile,
        shell: this.options.shell,
        sampleAvailable: existsSync(this.sampleDir),
        readOnly: this.readOnly ?? null,
      }),
      'datasets.list': () => this.datasets.list(),
      'datasets.get': ({ id }) => this.datasets.get(id),
      'datasets.rename': ({ id, name }) => this.datasets.rename(id, name),
      'datasets.delete': ({ id }) => {
        const training = this.runs
          .list({ datasetId: id })
          .find((run) => ['queued', 'running', 'paused'].includes(run.status))
        if (training)
          throw new StudioError(
            'bad-params',
            `Run ${training.id} of this dataset is still training: stop it before deleting the dataset.`,
          )
        return { deleted: this.datasets.delete(id) }
      },
      'datasets.import': ({ paths, jobId, ...options }) =>
        this.runJob(jobId, (signal) =>
          importDataset(this.datasets, paths, options, {
            signal,
            onProgress: (progress) =>
              this.emit('import:progress', { ...progress, jobId: jobId ?? '' }),
          }),
        ),
      'datasets.importSample': ({ jobId }) => {
        if (!existsSync(this.sampleDir))
          throw new StudioError(
            'not-found',
            'The sample dataset is missing from this installation.',
          )
        return this.runJob(jobId, (signal) =>
          importDataset(
            this.datasets,
            sampleFiles.map((file) => join(this.sampleDir, file)),
            {
              name: 'Fashion-MNIST sample',
              size: 28,
              channels: 'grey',
              fit: 'pad',
              background: 'black',
              maxPixels: 100_000_000,
            },
            {
              signal,
              onProgress: (progress) =>
                this.emit('import:progress', { ...progress, jobId: jobId ?? '' }),
            },
          ),
        )
      },
      'datasets.items': ({ id, offset, limit, label }) =>
        this.datasets.items(id, offset, limit, label),
      'datasets.skipped': ({ id }) => this.datasets.skipped(id),
      'datasets.itemsAtGroups': ({ id, groups }) => this.datasets.itemsAtGroups(id, groups),
      'runs.start': ({ datasetId, name, config }) => {
        const dataset = this.datasets.get(datasetId)
        const inputSize = dataset.width * dataset.height * (dataset.channels === 'rgb' ? 3 : 1)
        const stages = config.model === 'conv' ? config.filters.map((c) => `c${c}`) : []
        const layers = [inputSize, ...stages, ...config.hidden, config.latent].join('-')
        const runName = name ?? `${variantOf(config)} ${layers} on ${dataset.name}`
        const runId = this.runs.create({ datasetId, name: runName, config })
        this.trainers.start(runId)
        return this.runs.get(runId)
      },
      'training.gradientCheck': async ({ config }) => {
        // a tiny model: the plain JS backend is exact enough and loads nowhere else
        await import('@tensorflow/tfjs-backend-cpu')
        const tf = await import('@tensorflow/tfjs-core')
        tf.env().set('PROD', true)
        if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu')
        const { checkGradients } = await import('./training/gradient-check')
        return checkGradients(config)
      },
      'runs.list': ({ datasetId }) => this.runs.list({ datasetId }),
      'runs.get': ({ id }) => this.runs.get(id),
      'runs.epochs': ({ id }) => this.runs.epochs(id),
      'runs.pause': ({ id }) => {
        this.trainers.pause(id)
        return this.runs.get(id)
      },
      'runs.resume': ({ id }) => {
        this.trainers.resume(id)
        return this.runs.get(id)
      },
      'runs.cancel': ({ id }) => {
        this.trainers.cancel(id)
        return this.runs.get(id)
      },
      'runs.rename': ({ id, name }) => this.runs.rename(id, name),
      'runs.setNotes': ({ id, notes }) => this.runs.setNotes(id, notes),
      'runs.delete': ({ id }) => {
        this.decoders.forget()
        if (this.trainers.running.includes(id))
          throw new StudioError(
            'bad-params',
            'This run is still training: stop it before deleting it.',
          )
        const live = this.runs.live().find((run) => run.id === id)
        if (live)
          throw new StudioError(
            'bad-params',
            `This run is training in ${this.owners.describe(live.owner)}: stop it there before deleting it.`,
          )
        return { deleted: this.runs.delete(id) }
      },
      'jobs.cancel': ({ jobId }) => {
        const job = this.jobs.get(jobId)
        job?.abort()
        return { cancelled: job !== undefined }
      },
    }
  }
}
