// What the pointer picks in the latent scatter: the hovered point's image (use-hovered-item.ts), and a
// selection's images with, for one point, its nearest neighbours in latent space. A selection is
// shared with the other views (the Reconstructions view interpolates between selected images).
import { computed, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import type { Embeddings } from '@shared/runs'
import type { ItemPage } from '@shared/types'
import { call } from '../api'
import { useHoveredItem } from '../composables/use-hovered-item'
import { useSelection } from '../stores/use-selection'
import { nearestRows } from './layouts'

/** the most images a selection's gallery shows */
export const galleryLimit = 200

export function useLatentPicks(options: {
  runId: () => number
  datasetId: () => number
  /** dataset positions of the points drawn, in point order */
  rows: Ref<Int32Array | null>
  embeddings: ShallowRef<Embeddings | null>
}) {
  const { rows, embeddings } = options
  const selection = useSelection()
  async function itemsAt(datasetPositions: number[]): Promise<ItemPage> {
    return call('datasets.itemsAt', { id: options.datasetId(), positions: datasetPositions })
  }

  const { hovered, hover } = useHoveredItem(options.datasetId)
  /** the pointer over drawn point `index` (−1: none) */
  const onHover = (index: number, x: number, y: number) =>
    hover(index >= 0 ? rows.value?.[index] : undefined, x, y)

  /** the shared selection (the table's, the UMAP panes'), as dataset positions */
  const selected = computed(() => selection.of(options.runId()))
  const selectionPage = shallowRef<ItemPage | null>(null)
  const neighbours = shallowRef<ItemPage | null>(null)
  const neighbourPositions = shallowRef<number[]>([])
  let asked = 0
  watch(
    [selected, embeddings],
    async ([picked, e]) => {
      const ask = ++asked
      selectionPage.value = null
      neighbours.value = null
      if (!picked.length) return
      const page = await itemsAt(picked.slice(0, galleryLimit))
      if (ask !== asked) return
      selectionPage.value = page
      if (picked.length === 1 && e) {
        const positions = nearestRows(e.codes, e.dims, picked[0], 12)
        const near = await itemsAt(positions)
        if (ask !== asked) return
        neighbourPositions.value = positions
        neighbours.value = near
      }
    },
    { immediate: true },
  )
  function onSelect(indices: Uint32Array): void {
    const r = rows.value
    const picked = r ? Array.from(indices, (i) => r[i]) : []
    if (picked.length) selection.set(options.runId(), picked)
    else selection.clear()
  }
  function clearSelection(): void {
    selection.clear()
  }

  return {
    hovered,
    onHover,
    selected,
    selectionPage,
    neighbours,
    neighbourPositions,
    onSelect,
    clearSelection,
  }
}
