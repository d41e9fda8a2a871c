// How the latent scatter draws each point: its colour group (label, folder or cluster) or its
// reconstruction error, its size, and whether the search matches it.
import { computed, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import type { Embeddings } from '@shared/runs'
import type { ItemFacets } from '@shared/types'
import type { RunClustering } from '../composables/use-run-clustering'
import { fileName } from '../format'

export type ColourBy = 'label' | 'folder' | 'cluster' | 'error'

export function usePointStyle(options: {
  /** dataset positions of the points drawn, in point order */
  rows: Ref<Int32Array | null>
  facets: ShallowRef<ItemFacets | null>
  embeddings: ShallowRef<Embeddings | null>
  clustering: ShallowRef<RunClustering | null>
  colourBy: Ref<ColourBy>
  sizeByError: Ref<boolean>
  search: Ref<string>
}) {
  const { rows, facets, embeddings, clustering, colourBy, sizeByError, search } = options
  /** the colour groups hidden from the legend */
  const hidden = shallowRef<Set<number>>(new Set())
  watch(colourBy, () => (hidden.value = new Set()))

  function pick(of: Int32Array | undefined): Uint16Array | null {
    const r = rows.value
    if (!of || !r) return null
    return Uint16Array.from(r, (row) => (of[row] < 0 ? 65535 : of[row]))
  }
  const categories = computed(() =>
    colourBy.value === 'label'
      ? pick(facets.value?.labels)
      : colourBy.value === 'folder'
        ? pick(facets.value?.folders)
        : colourBy.value === 'cluster'
          ? pick(clustering.value?.assignments)
          : null,
  )
  const groupNames = computed(() =>
    colourBy.value === 'label'
      ? facets.value?.labelNames
      : colourBy.value === 'folder'
        ? facets.value?.folderNames
        : clustering.value?.names,
  )
  const groupCounts = computed(() => {
    const c = categories.value
    const counts = new Array<number>(groupNames.value?.length ?? 0).fill(0)
    if (c) for (const g of c) if (g < counts.length) counts[g]++
    return counts
  })
  const errorValues = computed(() => {
    const e = embeddings.value
    const r = rows.value
    return e && r ? Float32Array.from(r, (row) => e.errors[row]) : null
  })
  const errorRange = computed(() => {
    const v = errorValues.value
    if (!v?.length) return null
    let min = Infinity
    let max = -Infinity
    for (const x of v) {
      if (x < min) min = x
      if (x > max) max = x
    }
    return { title: 'Reconstruction error (MSE per pixel)', min, max }
  })
  const sizes = computed(() => {
    const v = errorValues.value
    const range = errorRange.value
    if (!sizeByError.value || !v || !range) return null
    const span = range.max - range.min || 1
    return Float32Array.from(v, (x) => 0.5 + (2 * (x - range.min)) / span)
  })
  const highlight = computed(() => {
    const query = search.value.trim().toLowerCase()
    const f = facets.value
    const r = rows.value
    if (!query || !f || !r) return null
    const labelHits = new Set(
      f.labelNames.flatMap((name, i) => (name.toLowerCase().includes(query) ? [i] : [])),
    )
    return Uint8Array.from(r, (row) =>
      labelHits.has(f.labels[row]) || fileName(f.paths[row]).toLowerCase().includes(query) ? 1 : 0,
    )
  })
  const matches = computed(() => highlight.value?.reduce((sum, v) => sum + v, 0) ?? null)

  return {
    hidden,
    categories,
    groupNames,
    groupCounts,
    errorValues,
    errorRange,
    sizes,
    highlight,
    matches,
  }
}
