// The clustering process: k-means on a run's codes, or a sweep over k, off the process that
// answers the UI. It reads the codes from the workspace, reports progress, and stores the
// assignments with their metrics (docs/analysis.md, "Clustering metrics").
import { disposeModel } from '../models/autoencoder'
import {
  deepClusteringTolerance,
  deepClusteringUpdateInterval,
  isDeepClusteringMethod,
  methodParams,
  type DeepClusteringMethod,
} from '../shared/clustering-methods'
import {
  type ClusteringMetrics,
  type ClusteringParams,
  type ClusteringSummary,
  type DeepClusteringEpoch,
  type Refinement,
} from '../shared/clusterings'
import { ClusteringsStore } from '../store/clusterings-store'
import { DatasetsStore } from '../store/datasets-store'
import { RunsStore } from '../store/runs-store'
import { openWorkspace, type Workspace } from '../store/workspace'
import { useBackend } from '../training/backend'
import { trainConfig } from '../shared/train-config'
import { sweepK } from './choose-k'
import { ari, clusterSizes, clusteringAccuracy, confusion, nmi } from '../metrics/clusters'
import { silhouette } from '../metrics/silhouette'
import { failureOf, parent, serveJob } from '../jobs/compute-child'
import { deepCluster } from './deep-cluster'
import { modelFromCheckpoint } from '../reconstruction/decoder'
import type { FromClusterer, ToClusterer } from './clusterer-messages'
import { kmeans } from './kmeans'
import { n2d } from './n2d'

function send(message: FromClusterer): void {
  parent.send(message)
}

async function run(start: Extract<ToClusterer, { type: 'start' }>, signal: AbortSignal) {
  const db = openWorkspace(start.workspaceFile, { nativeBinding: start.nativeBinding })
  const clusterings = new ClusteringsStore(db)
  try {
    const summary = clusterings.get(start.clusteringId)
    const started = performance.now()
    const runs = new RunsStore(db)
    const embeddings = runs.embeddings(summary.runId)
    if (!embeddings)
      throw new Error('This run has no codes yet: cluster it once training has completed.')
    const { codes, rows, dims } = embeddings
    const onProgress = (fraction: number) => send({ type: 'progress', fraction })
    const { params } = summary
    if (summary.method === 'sweep') {
      const sweep = await sweepK(codes, rows, dims, {
        from: params.from ?? 2,
        to: params.to ?? 15,
        seed: params.seed,
        signal,
        onProgress,
      })
      clusterings.complete(start.clusteringId, {
        metrics: {
          k: sweep.k,
          inertia: sweep.inertia,
          silhouette: sweep.silhouette,
          suggested: sweep.suggested,
        },
        seconds: (performance.now() - started) / 1000,
      })
    } else {
      const result = await clustersOf(db, summary, codes, dims, signal, onProgress)
      const facets = new DatasetsStore(db).facets(runs.get(summary.runId).datasetId)
      const labelled = facets.labelNames.length > 1 && facets.labels.every((label) => label >= 0)
      const tableOf = (assignments: Int32Array) =>
        labelled
          ? confusion(assignments, facets.labels, {
              clusters: params.k,
              classes: facets.labelNames.length,
            })
          : null
      const table = tableOf(result.assignments)
      const startTable = result.refinement && tableOf(result.refinement.start)
      // in the space the clusters were found in: the refined codes, for the deep methods
      const shape = silhouette(result.codes, dims, result.assignments, {
        sample: 5000,
        seed: params.seed,
      })
      const metrics: ClusteringMetrics = {
        sizes: Array.from(clusterSizes(result.assignments, params.k)),
        inertia: result.inertia,
        silhouette: shape.score,
        silhouetteSample: shape.sample,
        acc: table ? clusteringAccuracy(table) : null,
        nmi: table ? nmi(table) : null,
        ari: table ? ari(table) : null,
        confusion: table ? { labels: facets.labelNames, counts: Array.from(table.counts) } : null,
        ...(result.history ? { history: result.history } : {}),
        ...(result.refinement
          ? {
              refinement: {
                moved: result.refinement.moved,
                stopped: result.refinement.stopped,
                appliedWeight: result.refinement.appliedWeight,
                startAcc: startTable ? clusteringAccuracy(startTable) : null,
                startNmi: startTable ? nmi(startTable) : null,
              } satisfies Refinement,
            }
          : {}),
      }
      clusterings.complete(start.clusteringId, {
        assignments: result.assignments,
        distances: result.distances,
        certainty: result.certainty,
        metrics,
        seconds: (performance.now() - started) / 1000,
      })
    }
    send({ type: 'finished', status: 'completed' })
  } catch (error) {
    const { status, message } = failureOf(error, signal)
    clusterings.finish(start.clusteringId, status, message)
    send({ type: 'finished', status, error: message })
  } finally {
    db.close()
  }
}

interface FoundClusters {
  assignments: Int32Array
  /** to each row's own centre */
  distances: Float32Array
  /** 0…1, where the method can say how sure it is of each row (N2D, DEC, IDEC) */
  certainty?: Float32Array
  inertia: number
  /** what the clusters were found in */
  codes: Float32Array
  /** deep methods: their epochs */
  history?: DeepClusteringEpoch[]
  /** deep methods: the k-means they started from, and how far they moved from it */
  refinement?: Omit<Refinement, 'startAcc' | 'startNmi'> & { start: Int32Array }
}

/**
 * The clusters of a clustering's method, with the codes they were found in: the run's own, or
 * for the deep methods the refined ones.
 */
async function clustersOf(
  db: Workspace,
  { runId, method, params }: ClusteringSummary,
  codes: Float32Array,
  dims: number,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
): Promise<FoundClusters> {
  if (isDeepClusteringMethod(method))
    return deepClustering(db, runId, method, params, signal, onProgress)
  const rows = codes.length / dims
  const found =
    method === 'n2d'
      ? await n2d(codes, rows, dims, params, signal, onProgress)
      : await kmeans(codes, rows, dims, {
          k: params.k,
          nInit: params.nInit,
          seed: params.seed,
          signal,
          onProgress: (fraction) => onProgress(fraction * 0.9),
        })
  return { ...found, codes }
}

/** A deep method on the run's last checkpoint, refined from k-means on its codes. */
async function deepClustering(
  db: Workspace,
  runId: number,
  method: DeepClusteringMethod,
  params: ClusteringParams,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
) {
  await useBackend('auto')
  const runs = new RunsStore(db)
  const run = runs.get(runId)
  const checkpoint = runs.checkpoint(runId, 'last')
  if (!checkpoint) throw new Error('This run has no trained model to refine.')
  const config = trainConfig.parse(run.config)
  const { pixels, count, size, image } = new DatasetsStore(db).allPixels(run.datasetId)
  const model = modelFromCheckpoint(config, image, checkpoint)
  const own = methodParams(method, params)
  try {
    const result = await deepCluster(model, { pixels, count, size, image }, config, {
      method,
      k: params.k,
      nInit: params.nInit,
      seed: params.seed,
      epochs: own.epochs!,
      weight: own.weight!,
      learningRate: own.learningRate!,
      tolerance: deepClusteringTolerance,
      updateInterval: deepClusteringUpdateInterval,
      signal,
      onProgress,
    })
    const { start, moved, stopped, appliedWeight } = result
    return { ...result, refinement: { start, moved, stopped, appliedWeight } }
  } finally {
    disposeModel(model)
  }
}

serveJob(run)
