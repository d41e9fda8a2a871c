// The UMAP compare view's state in its URL (composables/use-query-state.ts): its UMAP
// parameters as one value, "dims,neighbors,minDist,metric,seed" (e.g. "2,15,0.1,euclidean,1"),
// the run of its third pane, what colours the points and which clustering.
import { watch, type Ref } from 'vue'
import type { ProjectionParams } from '@shared/projections'
import { oneOf, optionalId, useQueryState, type QueryCodec } from './use-query-state'

export const projectionParamsCodec: QueryCodec<ProjectionParams> = {
  parse(text) {
    const [dims, neighbors, minDist, metric, seed] = text.split(',')
    const params = {
      dims: Number(dims),
      neighbors: Number(neighbors),
      minDist: Number(minDist),
      metric,
      seed: Number(seed),
    }
    const valid =
      (params.dims === 2 || params.dims === 3) &&
      Number.isInteger(params.neighbors) &&
      params.neighbors >= 2 &&
      params.minDist >= 0 &&
      params.minDist <= 1 &&
      (metric === 'euclidean' || metric === 'cosine') &&
      Number.isInteger(params.seed)
    return valid ? (params as ProjectionParams) : undefined
  },
  format: (p) => [p.dims, p.neighbors, p.minDist, p.metric, p.seed].join(','),
}

/** The compare view's state, read from and written to the URL; `form` follows back and forward. */
export function useCompareUrl(state: {
  params: Ref<ProjectionParams>
  form: ProjectionParams
  otherRunId: Ref<number | null>
  colourBy: Ref<'label' | 'folder' | 'cluster' | 'error'>
  clusteringId: Ref<number | null>
}): void {
  useQueryState('umap', state.params, projectionParamsCodec)
  useQueryState('third', state.otherRunId, optionalId())
  useQueryState('colour', state.colourBy, oneOf('label', 'folder', 'cluster', 'error'))
  useQueryState('clustering', state.clusteringId, optionalId())
  Object.assign(state.form, state.params.value)
  watch(state.params, (p) => Object.assign(state.form, p))
}
