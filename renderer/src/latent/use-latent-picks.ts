// What the pointer picks in the latent scatter: the hovered point's image (cached), and a
// selection's images with, for one point, its nearest neighbours in latent space. A selection is
// shared with the other views (the Reconstructions view interpolates between selected images).
import { shallowRef, type Ref, type ShallowRef } from 'vue'
import type { Embeddings } from '@shared/runs'
import type { ItemPage } from '@shared/types'
import { call } from '../api'
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
  const pages = new Map<number, ItemPage>()
  async function itemsAt(datasetPositions: number[]): Promise<ItemPage> {
    return call('datasets.itemsAt', { id: options.datasetId(), positions: datasetPositions })
  }

  const hovered = shallowRef<{ row: number; x: number; y: number; page: ItemPage | null } | null>(
    null,
  )
  async function onHover(index: number, x: number, y: number): Promise<void> {
    const row = index >= 0 ? rows.value?.[index] : undefined
    if (row === undefined) {
      hovered.value = null
      return
    }
    hovered.value = { row, x, y, page: pages.get(row) ?? null }
    if (!pages.has(row)) {
      const page = await itemsAt([row])
      pages.set(row, page)
      if (hovered.value?.row === row) hovered.value = { ...hovered.value, page }
    }
  }

  const selected = shallowRef<number[]>([])
  const selectionPage = shallowRef<ItemPage | null>(null)
  const neighbours = shallowRef<ItemPage | null>(null)
  async function onSelect(indices: Uint32Array): Promise<void> {
    const r = rows.value
    selected.value = r ? Array.from(indices, (i) => r[i]) : []
    if (selected.value.length) selection.set(options.runId(), selected.value)
    selectionPage.value = null
    neighbours.value = null
    if (!selected.value.length) return
    selectionPage.value = await itemsAt(selected.value.slice(0, galleryLimit))
    const e = embeddings.value
    if (selected.value.length === 1 && e)
      neighbours.value = await itemsAt(nearestRows(e.codes, e.dims, selected.value[0], 12))
  }
  function clearSelection(): void {
    void onSelect(new Uint32Array())
  }

  return { hovered, onHover, selected, selectionPage, neighbours, onSelect, clearSelection }
}
