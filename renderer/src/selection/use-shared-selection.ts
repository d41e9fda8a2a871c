// A plot's side of the shared selection, for plots whose point i is dataset position i (the
// UMAP panes): what they select goes to the store, what is selected anywhere (or kept by the
// table's filter) is lit and the rest dimmed, and the first images of the selection as a page.
import { computed, shallowRef, watch } from 'vue'
import type { ItemPage } from '@shared/types'
import { call } from '../api'
import { useSelection } from '../stores/use-selection'
import { selectionMask } from './masks'
import { useItemFilter } from './use-item-filter'

export function useSharedSelection(options: {
  runId: () => number
  datasetId: () => number | null
  /** points drawn */
  count: () => number
  /** images of the selection shown */
  shown?: number
}) {
  const selection = useSelection()
  const itemFilter = useItemFilter()
  const selected = computed(() => selection.of(options.runId()))
  const highlight = computed(() =>
    selectionMask(options.count(), null, selected.value, itemFilter.matching),
  )
  const page = shallowRef<ItemPage | null>(null)
  const shownPositions = computed(() => selected.value.slice(0, options.shown ?? 200))
  let asked = 0
  watch(
    shownPositions,
    async (positions) => {
      const ask = ++asked
      const id = options.datasetId()
      if (!positions.length || id === null) {
        page.value = null
        return
      }
      const next = await call('datasets.itemsAt', { id, positions })
      if (ask === asked) page.value = next
    },
    { immediate: true },
  )
  function onSelect(rows: Uint32Array): void {
    if (rows.length) selection.set(options.runId(), Array.from(rows))
    else selection.clear()
  }
  return { selected, highlight, page, shownPositions, onSelect, clear: () => selection.clear() }
}
