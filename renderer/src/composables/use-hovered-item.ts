// The point under the pointer in a scatter (the Latent view's, the UMAP panes'): its dataset
// position, where on screen, and its image once fetched. Each image is fetched once per view;
// a reply that arrives after the pointer moved on is kept for later and not shown.
import { shallowRef } from 'vue'
import type { ItemPage } from '@shared/types'
import { call } from '../api'
import type { HoveredPoint } from '../components/HoverCard.vue'

export function useHoveredItem(datasetId: () => number | null) {
  const hovered = shallowRef<HoveredPoint | null>(null)
  const pages = new Map<number, ItemPage>()
  /** the pointer over dataset position `row` at (x, y); a row below 0 (or none) leaves */
  async function hover(row: number | undefined, x: number, y: number): Promise<void> {
    const id = datasetId()
    if (row === undefined || row < 0 || id === null) {
      hovered.value = null
      return
    }
    hovered.value = { row, x, y, page: pages.get(row) ?? null }
    if (pages.has(row)) return
    const page = await call('datasets.itemsAt', { id, positions: [row] })
    pages.set(row, page)
    if (hovered.value?.row === row) hovered.value = { ...hovered.value, page }
  }
  return { hovered, hover }
}
