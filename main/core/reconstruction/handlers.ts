// The contract's reconstruction methods: what the Reconstructions view asks of the decoder
// process, and the export of a run's outliers (images whose reconstruction error is above a
// threshold) as a CSV list or a copy of the images.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Handlers } from '../dispatch'
import type { ItemColumnsCache } from '../items/columns'
import { queryPositions } from '../items/query'
import type { ItemFilter } from '../shared/items'
import type { ItemsStore } from '../store/items-store'
import type { RunJob } from '../jobs/job-ids'
import { StudioError } from '../errors'
import { copyIntoFolders } from '../export/clusters'
import { shownPath } from '../export/items'
import { staged } from '../export/files'
import { csvField, csvLineEnd, formatFloat32 } from '../export/text'
import type {
  DecodeRequest,
  DenoiseResult,
  GalleryPage,
  ImageBatch,
} from '../shared/reconstructions'
import type { DatasetsStore } from '../store/datasets-store'
import type { RunsStore } from '../store/runs-store'
import type { Decoders } from './decoders'
import type { RunCodes } from '../runs/codes'

type Methods =
  | 'reconstructions.page'
  | 'reconstructions.denoise'
  | 'reconstructions.interpolate'
  | 'reconstructions.generate'
  | 'reconstructions.filters'
  | 'reconstructions.topActivating'
  | 'runs.exportOutliers'

export function reconstructionHandlers(core: {
  codes: RunCodes
  runs: RunsStore
  datasets: DatasetsStore
  decoders: Decoders
  /** what the gallery's items filter is answered from (items.query's) */
  columns: ItemColumnsCache
  items: ItemsStore
  job: RunJob
  emit: (event: 'export:progress', payload: { jobId: string; done: number; total: number }) => void
}): Pick<Handlers, Methods> {
  const { runs, datasets, decoders } = core
  // a stopped or interrupted run's codes are computed from its checkpoint the first time
  const request = async <T>(asked: DecodeRequest) => {
    await core.codes.ensure(asked.runId)
    return decoders.request<T>(asked)
  }
  /** The positions an items filter keeps, and a key that names them; none for no filter. */
  const keptBy = (runId: number, filter?: ItemFilter, clusteringId?: number) => {
    if (!filter || Object.keys(filter).length === 0) return undefined
    const { positions } = queryPositions(core.columns, core.items, {
      datasetId: runs.get(runId).datasetId,
      runId,
      clusteringId,
      filter,
      sort: { column: 'position', descending: false },
    })
    return { positions, key: positionsKey(positions) }
  }
  return {
    'reconstructions.page': async (params) => {
      const { id, order, label, cluster, offset, limit } = params
      await core.codes.ensure(id) // the error filter needs the run's errors
      const kept = keptBy(id, params.filter, params.filterClusteringId)
      return request<GalleryPage>({
        op: 'page',
        runId: id,
        order,
        label,
        cluster,
        kept,
        offset,
        limit,
      })
    },
    'reconstructions.denoise': ({ id, positions, kind, level, seed }) =>
      request<DenoiseResult>({ op: 'denoise', runId: id, positions, kind, level, seed }),
    'reconstructions.interpolate': ({ id, from, to, steps }) =>
      request<ImageBatch>({ op: 'interpolate', runId: id, from, to, steps }),
    'reconstructions.generate': (params) => {
      const { id } = params
      if (params.kind === 'samples')
        return request<ImageBatch>({
          op: 'samples',
          runId: id,
          count: params.count,
          seed: params.seed,
        })
      if (params.kind === 'manifold')
        return request<ImageBatch>({
          op: 'manifold',
          runId: id,
          size: params.size,
          dims: params.dims,
          base: params.base,
        })
      if (params.position === null)
        throw new StudioError('bad-params', 'A sweep needs the image whose code it starts from.')
      return request<ImageBatch>({
        op: 'sweep',
        runId: id,
        position: params.position,
        dim: params.dim,
        steps: params.count,
      })
    },
    'reconstructions.filters': ({ id }) => request<ImageBatch>({ op: 'filters', runId: id }),
    'reconstructions.topActivating': ({ id, unit, count }) =>
      request<{ positions: Int32Array }>({ op: 'topActivating', runId: id, unit, count }),
    'runs.exportOutliers': async (params) => {
      const { id, threshold, format, out, jobId, overwrite, uploadsDir } = params
      const run = runs.get(id)
      const embeddings = await core.codes.ensure(id)
      const facets = datasets.facets(run.datasetId)
      const kept = keptBy(id, params.filter, params.filterClusteringId)?.positions
      const keep = kept ? new Uint8Array(embeddings.errors.length) : null
      if (keep) for (const p of kept!) keep[p] = 1
      const group = Int32Array.from(embeddings.errors, (e, i) =>
        Math.fround(e) > Math.fround(threshold) && (!keep || keep[i]) ? 0 : -1,
      )
      const target = resolve(out)
      const existing = await stat(target).catch(() => null)
      if (format === 'csv') {
        if (existing?.isDirectory())
          throw new StudioError('bad-params', `${target} is a folder: name the file to write.`)
        const files = await staged(async (staging) => {
          const lines = ['path,error,label']
          group.forEach((g, i) => {
            if (g < 0) return
            const label = facets.labels[i] >= 0 ? facets.labelNames[facets.labels[i]] : null
            lines.push(
              [
                csvField(shownPath(facets.paths[i], uploadsDir)),
                formatFloat32(embeddings.errors[i]),
                csvField(label),
              ].join(','),
            )
          })
          await staging.write(target, lines.join(csvLineEnd) + csvLineEnd)
        }, overwrite)
        return { files }
      }
      if (existing?.isFile())
        throw new StudioError('bad-params', `${target} is a file: name a folder to copy into.`)
      return {
        files: await core.job(jobId, (signal) =>
          copyIntoFolders(
            target,
            { names: ['outliers'], group, datasetId: run.datasetId, paths: facets.paths, datasets },
            {
              signal,
              overwrite,
              onProgress: (progress) =>
                core.emit('export:progress', { jobId: jobId ?? '', ...progress }),
            },
          ),
        ),
      }
    },
  }
}

/** A short name for a list of positions (FNV-1a over them, and their count). */
export function positionsKey(positions: Int32Array): string {
  let hash = 0x811c9dc5
  for (const p of positions) hash = Math.imul(hash ^ p, 0x01000193)
  return `${positions.length}.${(hash >>> 0).toString(36)}`
}
