// The positions of every item in the chosen layout: the codes themselves (three dimensions or
// fewer), or a PCA or UMAP of them computed by the core and followed as it refines.
import { shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import type { Embeddings } from '@shared/runs'
import { call } from '../api'
import { useStoredJob } from '../composables/use-stored-job'
import { normalise, padTo3 } from './layouts'

export type Layout = 'codes' | 'pca' | 'umap'

export function useFinalLayout(options: {
  runId: () => number
  embeddings: ShallowRef<Embeddings | null>
  layout: Ref<Layout>
  /** whether UMAP's provisional layouts are drawn as they come (the final view is shown) */
  live: () => boolean
  onError: (message: string) => void
}) {
  const { embeddings, layout } = options
  /** n×3 positions of every item in the chosen layout, once known */
  const finalPositions = shallowRef<Float32Array | null>(null)
  const {
    job: projecting,
    start,
    cancel,
  } = useStoredJob('projection', {
    onResult: (projection) => {
      if (projection.coords) finalPositions.value = normalise(Float32Array.from(projection.coords))
    },
    onProgress: (p) => {
      // UMAP's provisional layouts: the picture forms while it optimises
      if (p.layout && options.live()) finalPositions.value = normalise(Float32Array.from(p.layout))
    },
    onEnd: ({ status, error }) => {
      if (status === 'failed') options.onError(error ?? 'The projection failed.')
    },
  })

  async function placeFinal(): Promise<void> {
    const e = embeddings.value
    if (!e) return
    const method = layout.value
    if (method === 'codes') {
      finalPositions.value = normalise(padTo3(e.codes, e.rows, e.dims))
      return
    }
    finalPositions.value = null
    await start(() =>
      call('projections.start', { runId: options.runId(), space: 'latent', method, dims: 3 }),
    )
  }
  watch(layout, () => void placeFinal())

  return { finalPositions, projecting, cancelProjection: cancel, placeFinal }
}
