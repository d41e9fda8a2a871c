// The Train view's state in its URL: ?dataset=ID (the newest dataset when none is named), &run=ID
// while watching one run, &from=ID to copy a run's config.
import { computed, ref, watch, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import type { DatasetSummary } from '@shared/types'

export function useTrainRoute(datasets: Ref<DatasetSummary[]>) {
  const route = useRoute()
  const router = useRouter()

  function queryNumber(name: string): number | null {
    const value = Number(route.query[name])
    return Number.isInteger(value) && value > 0 ? value : null
  }

  const runId = computed(() => queryNumber('run'))
  const datasetId = ref<number | null>(queryNumber('dataset'))

  watch(
    () => route.query.dataset,
    () => {
      const fromUrl = queryNumber('dataset')
      if (fromUrl) datasetId.value = fromUrl
    },
  )
  watch(datasetId, (id) => {
    if (id && queryNumber('dataset') !== id)
      void router.replace({ query: { ...route.query, dataset: String(id) } })
  })
  // Without a choice in the URL, the newest dataset.
  watch(
    datasets,
    (list) => {
      if (!datasetId.value && list.length) datasetId.value = list[0].id
    },
    { immediate: true },
  )

  /** The run whose config to copy (?from=ID), once; `copy` is called with it. */
  function onCopyFrom(copy: (id: number) => Promise<void>): void {
    watch(
      () => queryNumber('from'),
      async (id) => {
        if (!id) return
        await copy(id)
        const { from: _from, ...rest } = route.query
        void router.replace({ query: { ...rest, dataset: String(datasetId.value ?? '') } })
      },
      { immediate: true },
    )
  }

  return { runId, datasetId, onCopyFrom }
}
