// The application core: one open workspace, the stores and job runners over it, and the
// contract's handlers, each domain's from its own room (docs/architecture.md, "The contract and
// dispatch").
import type { EventName, Events } from './contract'
import type { EventListener, Handlers } from './dispatch'
import type { AppInfo } from './shared/types'
import { appHandlers, refuseWrites } from './app-handlers'
import { datasetHandlers } from './datasets/handlers'
import { JobIds } from './jobs/job-ids'
import { jobHandlers } from './jobs/handlers'
import { runHandlers } from './training/handlers'
import { DatasetsStore } from './store/datasets-store'
import { openWorkspace, readOnlyOf, type ReadOnly, type Workspace } from './store/workspace'
import { RunsStore } from './store/runs-store'
import { Trainers, type TrainerEntry } from './training/trainers'
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
import { processEntry, sampleDir } from './layout'
import { ItemsStore } from './store/items-store'
import { itemHandlers } from './items/handlers'
import { ItemColumnsCache } from './items/columns'
import { RunCodes } from './runs/codes'
import { runCodeHandlers } from './runs/handlers'

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
  /** work in this process under a caller's job id (imports, folder exports): `jobs.cancel` */
  private readonly jobIds = new JobIds()

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
      store: this.projections,
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
      store: this.clusterings,
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
    if (this.readOnly) refuseWrites(this.handlers, options.workspaceFile, this.readOnly)
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
    this.jobIds.abortAll()
    this.trainers.stopAll()
    this.projectors.stopAll()
    this.clusterers.stopAll()
    this.decoders.stop()
    // An import aborted just now removes its dataset once its current step ends; were the
    // process to exit first, the next opener removes it (its owner is gone).
    this.owners.release()
    this.db.close()
  }

  private createHandlers(): Handlers {
    const { datasets, runs, owners, decoders, clusterings, clusterers } = this
    const job = this.jobIds.run
    const emit = this.emit.bind(this)
    const columns = new ItemColumnsCache(this)
    return {
      ...appHandlers({ ...this.options, sampleDir: this.sampleDir, readOnly: this.readOnly }),
      ...datasetHandlers({ datasets, runs, sampleDir: this.sampleDir, job, emit }),
      ...runHandlers({ datasets, runs, trainers: this.trainers, decoders, owners }),
      ...runCodeHandlers({ ...this, projections: this.projections, job, emit }),
      ...itemHandlers({ ...this, columns, job, emit, labelsChanged: () => decoders.forget() }),
      ...projectionHandlers(this),
      ...clusteringHandlers({
        codes: this.codes,
        runs,
        datasets,
        clusterings,
        projections: this.projections,
        clusterers,
        job,
        emit,
      }),
      ...reconstructionHandlers({
        codes: this.codes,
        runs,
        datasets,
        decoders,
        columns,
        items: this.items,
        job,
        emit,
      }),
      ...jobHandlers(this.jobIds),
    }
  }
}
