// Every method the UI (and any other shell) can call, and every event it can hear.
// Params are checked against these schemas at each transport boundary; results are typed only.
import { z } from 'zod'
import type {
  AppInfo,
  DatasetSummary,
  DuplicateFile,
  ImportProgress,
  ImportResult,
  ItemFacets,
  ItemPage,
  SkippedFile,
} from './shared/types'
import type {
  EpochRow,
  GradientCheckReport,
  RunSummary,
  TrainingEpoch,
  TrainingProgress,
  TrainingStatus,
} from './shared/runs'
import type { Projection, ProjectionProgress, ProjectionSummary } from './shared/projections'
import type { Embeddings } from './shared/runs'
import type { DenoiseResult, GalleryPage, ImageBatch } from './shared/reconstructions'
import type { JobStatusEvent } from './shared/stored-job'
import type { Clustering, ClusteringProgress, ClusteringSummary } from './shared/clusterings'
import { clusteringStartParams, clusteringSweepParams } from './shared/clustering-params'
import { importOptions } from './shared/import-options'
import { itemFilter, itemParamSchemas, itemQueryParams, type ItemResults } from './shared/items'
import { id, seed } from './shared/schemas'
import { trainConfig } from './shared/train-config'

const jobId = z.string().min(1).max(100)
/** exports: replace files already there (the user agreed); without it, such files stop the export */
const overwrite = z.boolean().default(false)
/** set by `studio serve`: item paths under its upload folder are written as the user's own */
const uploadsDir = z.string().max(4096).optional()

/** The params schema of every method. */
export const paramSchemas = {
  'app.info': z.object({}),
  'datasets.list': z.object({}),
  'datasets.get': z.object({ id }),
  'datasets.rename': z.object({ id, name: z.string().trim().min(1).max(200) }),
  'datasets.delete': z.object({ id }),
  'datasets.import': importOptions.extend({
    paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
    jobId: jobId.optional(),
  }),
  'datasets.importSample': z.object({ jobId: jobId.optional() }),
  'datasets.items': z.object({
    id,
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(5000).default(500),
    /** only items with this label; null for the unlabelled, absent for all */
    label: z.string().nullable().optional(),
  }),
  'datasets.skipped': z.object({ id }),
  'datasets.facets': z.object({ id }),
  /** items by position in dataset order, e.g. a selection in a scatter */
  'datasets.itemsAt': z.object({ id, positions: z.array(z.number().int().min(0)).max(1000) }),
  /** several groups of positions in one call, a page per group: the Clusters view's cards */
  'datasets.itemsAtGroups': z.object({
    id,
    groups: z
      .array(z.array(z.number().int().min(0)).max(1000))
      .max(500)
      .refine((groups) => groups.reduce((sum, g) => sum + g.length, 0) <= 5000, {
        message: 'At most 5000 positions in all.',
      }),
  }),
  'jobs.cancel': z.object({ jobId }),
  'runs.start': z.object({
    datasetId: id,
    name: z.string().trim().min(1).max(200).optional(),
    config: trainConfig,
  }),
  'runs.list': z.object({ datasetId: id.optional() }),
  /** the gradient check (docs/models.md, "Gradient check") on a tiny model of this config */
  'training.gradientCheck': z.object({ config: trainConfig }),
  'runs.get': z.object({ id }),
  'runs.epochs': z.object({ id }),
  'runs.pause': z.object({ id }),
  'runs.resume': z.object({ id }),
  'runs.cancel': z.object({ id }),
  /** go on training an interrupted run from its last checkpoint */
  'runs.continue': z.object({ id }),
  'runs.rename': z.object({ id, name: z.string().trim().min(1).max(200) }),
  'runs.setNotes': z.object({ id, notes: z.string().max(100_000) }),
  'runs.delete': z.object({ id }),
  'runs.embeddings': z.object({ id }),
  /** the watched codes of each stored epoch; with `after`, only of the epochs after it */
  'runs.epochCodes': z.object({ id, after: z.number().int().min(-1).default(-1) }),
  'projections.start': z
    .object({
      /** a run's codes (space latent) or its dataset's pixels (space raw) */
      runId: id.optional(),
      /** a dataset's pixels, without a run */
      datasetId: id.optional(),
      space: z.enum(['latent', 'raw']),
      method: z.enum(['pca', 'umap']).default('umap'),
      dims: z.union([z.literal(2), z.literal(3)]).default(2),
      neighbors: z.number().int().min(2).max(200).default(15),
      minDist: z.number().min(0).max(1).default(0.1),
      metric: z.enum(['euclidean', 'cosine']).default('euclidean'),
      seed,
      /** compute again even when a layout with these parameters is stored */
      recompute: z.boolean().default(false),
    })
    .refine((p) => p.runId !== undefined || (p.space === 'raw' && p.datasetId !== undefined), {
      message: 'Give runId, or datasetId with space raw.',
    }),
  'projections.get': z.object({ id }),
  'projections.list': z.object({ datasetId: id }),
  'projections.cancel': z.object({ id }),
  'clusterings.start': clusteringStartParams,
  'clusterings.sweep': clusteringSweepParams,
  'clusterings.get': z.object({ id }),
  'clusterings.list': z.object({ runId: id }),
  'clusterings.cancel': z.object({ id }),
  'clusterings.renameCluster': z.object({
    id,
    cluster: z.number().int().min(0),
    name: z.string().trim().min(1).max(200),
  }),
  'clusterings.delete': z.object({ id }),
  'clusterings.export': z.object({
    id,
    /**
     * csv or json: a file; parquet: the run's embeddings table with this clustering's columns
     * (as runs.export's); folders: one folder of images per cluster under `out`
     */
    format: z.enum(['csv', 'json', 'parquet', 'folders']).default('csv'),
    out: z.string().min(1).max(4096),
    /** names the work for jobs.cancel and export:progress (folders) */
    jobId: jobId.optional(),
    overwrite,
    uploadsDir,
  }),
  'reconstructions.page': z.object({
    id,
    order: z.enum(['worst', 'best']).default('worst'),
    /** only this label (null: the unlabelled); absent: every image */
    label: z.string().nullable().optional(),
    /** only the members of this cluster of this clustering */
    cluster: z.object({ clusteringId: id, index: z.number().int().min(0) }).optional(),
    /** only the items this filter keeps (items.query's, on this run) */
    filter: itemFilter.optional(),
    /** the clustering the filter's certainty is of */
    filterClusteringId: id.optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  'reconstructions.denoise': z.object({
    id,
    positions: z.array(z.number().int().min(0)).min(1).max(64),
    kind: z.enum(['mask', 'gaussian', 'salt-pepper']),
    level: z.number().min(0).max(1),
    seed,
  }),
  'reconstructions.interpolate': z.object({
    id,
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    steps: z.number().int().min(2).max(64).default(10),
  }),
  'reconstructions.generate': z.object({
    id,
    /** samples: from N(0, I) (VAE); manifold: a grid over two latent dimensions; sweep: one dimension */
    kind: z.enum(['samples', 'manifold', 'sweep']),
    count: z.number().int().min(1).max(400).default(64),
    seed,
    size: z.number().int().min(2).max(30).default(15),
    dims: z.tuple([z.number().int().min(0), z.number().int().min(0)]).default([0, 1]),
    /** the image whose code the other dimensions keep (manifold of z > 2, sweep) */
    position: z.number().int().min(0).nullable().default(null),
    base: z.number().int().min(0).nullable().default(null),
    dim: z.number().int().min(0).default(0),
  }),
  'reconstructions.filters': z.object({ id }),
  'reconstructions.topActivating': z.object({
    id,
    unit: z.number().int().min(0),
    count: z.number().int().min(1).max(100).default(12),
  }),
  'runs.exportOutliers': z.object({
    id,
    /** images whose reconstruction error (MSE per pixel) is above this */
    threshold: z.number().min(0),
    /** only the items this filter keeps (items.query's, on this run) */
    filter: itemFilter.optional(),
    /** the clustering the filter's certainty is of */
    filterClusteringId: id.optional(),
    format: z.enum(['csv', 'folders']).default('csv'),
    out: z.string().min(1).max(4096),
    jobId: jobId.optional(),
    overwrite,
    uploadsDir,
  }),
  ...itemParamSchemas,
  /** the items a query keeps (a saved selection: filter.selectionId) as CSV, JSON or folders */
  'items.export': itemQueryParams
    .pick({ datasetId: true, runId: true, clusteringId: true, filter: true, sort: true })
    .extend({
      format: z.enum(['csv', 'json', 'folders']).default('csv'),
      /** folders: one per label, per cluster (needs clusteringId), or one for all */
      groupBy: z.enum(['label', 'cluster', 'none']).default('label'),
      out: z.string().min(1).max(4096),
      jobId: jobId.optional(),
      overwrite,
      uploadsDir,
    }),
  'runs.export': z.object({
    id,
    /**
     * embeddings: codes (+ label, path, error; Parquet adds clusters and layouts); projector: a
     * TensorBoard projector bundle; model: tfjs format; onnx: encoder.onnx and decoder.onnx
     */
    kind: z.enum(['embeddings', 'projector', 'model', 'onnx']),
    format: z.enum(['csv', 'npy', 'json', 'parquet']).default('csv'),
    /** Parquet: whose cluster and certainty columns (default: the run's latest finished clustering) */
    clusteringId: id.optional(),
    /** Parquet: whose layout columns, one 2-D and one 3-D at most (default: the latest finished) */
    projectionIds: z.array(id).max(2).optional(),
    /** a folder (projector, model, onnx) or a file (embeddings) */
    out: z.string().min(1).max(4096),
    /** names the work for jobs.cancel and export:progress (projector, model, onnx) */
    jobId: jobId.optional(),
    overwrite,
    uploadsDir,
  }),
}

/** The result of every method. */
export interface Results extends ItemResults {
  'app.info': AppInfo
  'datasets.list': DatasetSummary[]
  'datasets.get': DatasetSummary
  'datasets.rename': DatasetSummary
  'datasets.delete': { deleted: boolean }
  'datasets.import': ImportResult
  'datasets.importSample': ImportResult
  'datasets.items': ItemPage
  'datasets.skipped': { skipped: SkippedFile[]; duplicates: DuplicateFile[] }
  'datasets.facets': ItemFacets
  'datasets.itemsAt': ItemPage
  'datasets.itemsAtGroups': ItemPage[]
  'jobs.cancel': { cancelled: boolean }
  'runs.start': RunSummary
  'runs.list': RunSummary[]
  'training.gradientCheck': GradientCheckReport
  'runs.get': RunSummary
  'runs.epochs': EpochRow[]
  'runs.pause': RunSummary
  'runs.resume': RunSummary
  'runs.cancel': RunSummary
  'runs.continue': RunSummary
  'runs.rename': RunSummary
  'runs.setNotes': RunSummary
  'runs.delete': { deleted: boolean }
  'runs.export': { files: string[] }
  'runs.embeddings': Embeddings
  /** the codes of the watched items (dataset positions) after each stored epoch */
  'runs.epochCodes': {
    positions: Int32Array
    dims: number
    epochs: number[]
    codes: Float32Array[]
  }
  'projections.start': ProjectionSummary
  'projections.get': Projection
  'projections.list': ProjectionSummary[]
  'projections.cancel': { cancelled: boolean }
  'clusterings.start': ClusteringSummary
  'clusterings.sweep': ClusteringSummary
  'clusterings.get': Clustering
  'clusterings.list': ClusteringSummary[]
  'clusterings.cancel': { cancelled: boolean }
  'clusterings.renameCluster': ClusteringSummary
  'clusterings.delete': { deleted: boolean }
  'clusterings.export': { files: string[] }
  'reconstructions.page': GalleryPage
  'reconstructions.denoise': DenoiseResult
  'reconstructions.interpolate': ImageBatch
  'reconstructions.generate': ImageBatch
  'reconstructions.filters': ImageBatch
  'reconstructions.topActivating': { positions: Int32Array }
  'runs.exportOutliers': { files: string[] }
  'items.export': { files: string[] }
}

/** A notice the desktop shell shows in the window, with a web link where there is one. */
export interface DesktopNotice {
  kind: 'info' | 'error'
  message: string
  link?: { label: string; url: string }
}

export interface Events {
  'import:progress': ImportProgress
  /** the desktop menu's File → Import folder… (Electron only) */
  'menu:import-folder': Record<string, never>
  /** files the system asked the desktop app to open (main/electron/opened-files.ts) */
  'desktop:open-files': { paths: string[] }
  /** a message from the desktop shell: a workspace it fell back from, an update (Electron only) */
  'desktop:notice': DesktopNotice
  'training:progress': TrainingProgress
  'training:epoch': TrainingEpoch
  'training:status': TrainingStatus
  'projection:progress': ProjectionProgress
  'projection:status': JobStatusEvent
  'clustering:progress': ClusteringProgress
  'clustering:status': JobStatusEvent
  /** a folder export copying images: how many of how many */
  'export:progress': { jobId: string; done: number; total: number }
}

export type MethodName = keyof typeof paramSchemas
/** What a caller passes: defaults may be left out. */
export type ParamsOf<M extends MethodName> = z.input<(typeof paramSchemas)[M]>
/** What a handler receives: defaults filled in, everything checked. */
export type CheckedParamsOf<M extends MethodName> = z.output<(typeof paramSchemas)[M]>
export type ResultOf<M extends MethodName> = Results[M]
export type EventName = keyof Events

export const methodNames = Object.keys(paramSchemas) as MethodName[]
export const eventNames: EventName[] = [
  'import:progress',
  'menu:import-folder',
  'desktop:open-files',
  'desktop:notice',
  'training:progress',
  'training:epoch',
  'training:status',
  'projection:progress',
  'projection:status',
  'clustering:progress',
  'clustering:status',
  'export:progress',
]

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(paramSchemas, name)
}
