// The contract's clustering methods: start k-means or a sweep over k in its own process, read
// the results, name clusters.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Handlers } from '../dispatch'
import { exportRun } from '../export'
import { exportClusterFolders, exportClustersTable } from '../export/clusters'
import type { DatasetsStore } from '../store/datasets-store'
import { StudioError } from '../errors'
import type { ClusteringsStore } from '../store/clusterings-store'
import type { ProjectionsStore } from '../store/projections-store'
import type { RunsStore } from '../store/runs-store'
import {
  isDeepClusteringMethod,
  methodParams,
  methodsTaking,
  type MethodParam,
} from '../shared/clustering-methods'
import type { Clusterers } from './clusterers'
import type { RunCodes } from '../runs/codes'

type Methods =
  | 'clusterings.start'
  | 'clusterings.sweep'
  | 'clusterings.get'
  | 'clusterings.list'
  | 'clusterings.cancel'
  | 'clusterings.renameCluster'
  | 'clusterings.delete'
  | 'clusterings.export'

export function clusteringHandlers(core: {
  codes: RunCodes
  runs: RunsStore
  datasets: DatasetsStore
  clusterings: ClusteringsStore
  /** the layouts a Parquet export adds */
  projections: ProjectionsStore
  clusterers: Clusterers
  /** runs cancellable work under a job id (jobs.cancel) */
  job: <T>(jobId: string | undefined, work: (signal: AbortSignal) => Promise<T>) => Promise<T>
  emit: (event: 'export:progress', payload: { jobId: string; done: number; total: number }) => void
}): Pick<Handlers, Methods> {
  const { runs, datasets, clusterings, clusterers } = core
  // a stopped or interrupted run's codes are computed from its checkpoint the first time
  const needCodes = (runId: number) => core.codes.ensure(runId)
  return {
    'clusterings.start': async ({
      runId,
      method,
      k,
      nInit,
      seed,
      runs: n2dRuns,
      epochs,
      weight,
      learningRate,
    }) => {
      const { rows } = await needCodes(runId)
      if (k > rows)
        throw new StudioError('bad-params', `k = ${k} is more clusters than the ${rows} images.`)
      if (isDeepClusteringMethod(method) && !runs.checkpoint(runId, 'last'))
        throw new StudioError('bad-params', 'This run has no trained model to refine.')
      const given = { runs: n2dRuns, epochs, weight, learningRate }
      // the method's own parameters, each given or its default; any other is refused
      const own = methodParams(method, given)
      for (const [param, value] of Object.entries(given) as [MethodParam, number | undefined][])
        if (value !== undefined && !(param in own))
          throw new StudioError(
            'bad-params',
            `${param} applies to ${methodsTaking(param)} only, not ${method}.`,
          )
      const id = clusterings.create(runId, method, { k, nInit, seed, ...own })
      clusterers.start(id)
      return clusterings.get(id)
    },
    'clusterings.sweep': async ({ runId, from, to, seed }) => {
      const { rows } = await needCodes(runId)
      if (from > to || to >= rows)
        throw new StudioError('bad-params', `Sweep k from ${from} to ${to} over ${rows} images.`)
      const id = clusterings.create(runId, 'sweep', { k: to, nInit: 3, seed, from, to })
      clusterers.start(id)
      return clusterings.get(id)
    },
    'clusterings.get': ({ id }) => clusterings.withArrays(id),
    'clusterings.list': ({ runId }) => {
      runs.get(runId)
      return clusterings.list(runId)
    },
    'clusterings.cancel': ({ id }) => ({ cancelled: clusterers.cancel(id) }),
    'clusterings.renameCluster': ({ id, cluster, name }) =>
      clusterings.renameCluster(id, cluster, name),
    'clusterings.delete': ({ id }) => {
      if (clusterers.processes.running.includes(id))
        throw new StudioError('bad-params', 'This clustering is still running: cancel it first.')
      return { deleted: clusterings.remove(id) }
    },
    'clusterings.export': async ({ id, format, out, jobId, overwrite, uploadsDir }) => {
      const clustering = clusterings.withArrays(id)
      const datasetId = runs.get(clustering.runId).datasetId
      const facets = datasets.facets(datasetId)
      const source = { clustering, datasetId, facets, datasets, uploadsDir }
      const target = resolve(out)
      if (format === 'parquet') {
        // the run's table with this clustering's columns (export/parquet.ts)
        return exportRun(
          { runs, datasets, clusterings, projections: core.projections },
          {
            id: clustering.runId,
            kind: 'embeddings',
            format,
            out,
            clusteringId: id,
            overwrite,
            uploadsDir,
          },
        )
      }
      if (format !== 'folders') {
        if ((await stat(target).catch(() => null))?.isDirectory())
          throw new StudioError('bad-params', `${target} is a folder: name the file to write.`)
        return { files: await exportClustersTable(target, format, source, overwrite) }
      }
      if ((await stat(target).catch(() => null))?.isFile())
        throw new StudioError('bad-params', `${target} is a file: name a folder to copy into.`)
      return core.job(jobId, async (signal) => ({
        files: await exportClusterFolders(target, source, {
          signal,
          overwrite,
          onProgress: (progress) =>
            core.emit('export:progress', { jobId: jobId ?? '', ...progress }),
        }),
      }))
    },
  }
}
