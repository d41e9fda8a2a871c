// The items table's filter, shared with the plots of the same run: text, error and certainty
// ranges, labels, splits, tags and a saved selection. The positions it keeps come from
// items.query (docs/working-with-data.md, "The items table") and cross-filter every plot: the
// latent scatter and the UMAP panes dim the points it does not keep.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { call, errorData } from '../api'
import { emptyFields, filterOf, type FilterFields } from './filter-fields'

export type { FilterFields }

export const useItemFilter = defineStore('item-filter', () => {
  const runId = shallowRef<number | null>(null)
  const datasetId = shallowRef<number | null>(null)
  const clusteringId = shallowRef<number | null>(null)
  const fields = ref<FilterFields>(emptyFields())
  const filter = computed(() => filterOf(fields.value))
  const active = computed(() => Object.keys(filter.value).length > 0)
  /** dataset positions the filter keeps; null while no filter is set */
  const matching = shallowRef<Int32Array | null>(null)
  /** how many items the dataset has, once the filter has been asked for */
  const total = shallowRef<number | null>(null)
  const error = shallowRef<string | null>(null)
  /** bumped when items change (tags, labels) so tables and masks ask again */
  const revision = ref(0)

  /** Points the filter at a run (and its dataset); a new run starts with no filter. */
  function use(run: number, dataset: number, clustering: number | null): void {
    if (datasetId.value !== dataset) total.value = null
    if (runId.value !== run) fields.value = emptyFields()
    runId.value = run
    datasetId.value = dataset
    clusteringId.value = clustering
  }

  let asked = 0
  async function refresh(): Promise<void> {
    const ask = ++asked
    if (!active.value || datasetId.value === null) {
      matching.value = null
      error.value = null
      return
    }
    try {
      const result = await call('items.query', {
        datasetId: datasetId.value,
        runId: runId.value ?? undefined,
        clusteringId: clusteringId.value ?? undefined,
        filter: filter.value,
        limit: 0,
        matching: true,
      })
      if (ask !== asked) return
      matching.value = result.positions
      total.value = result.total
      error.value = null
    } catch (caught) {
      if (ask === asked) error.value = errorData(caught).message
    }
  }
  watch([filter, datasetId, clusteringId, revision], refresh, { deep: true })

  function reset(): void {
    fields.value = emptyFields()
  }

  return {
    runId,
    datasetId,
    clusteringId,
    fields,
    filter,
    active,
    matching,
    total,
    error,
    revision,
    use,
    refresh,
    reset,
  }
})
