import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { DatasetSummary } from '@shared/types'
import { call, errorData } from '../api'

/** The workspace's datasets, as listed on the Datasets view and used by the others. */
export const useDatasets = defineStore('datasets', () => {
  const datasets = ref<DatasetSummary[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<string | null>(null)

  async function load(): Promise<void> {
    loading.value = true
    try {
      datasets.value = await call('datasets.list', {})
      loaded.value = true
      error.value = null
    } catch (caught) {
      error.value = errorData(caught).message
    } finally {
      loading.value = false
    }
  }

  function replace(summary: DatasetSummary): void {
    datasets.value = datasets.value.map((d) => (d.id === summary.id ? summary : d))
  }

  /** Renames a dataset; throws the core's error (the caller shows it beside the input). */
  async function rename(id: number, name: string): Promise<DatasetSummary> {
    const summary = await call('datasets.rename', { id, name })
    replace(summary)
    return summary
  }

  async function remove(id: number): Promise<void> {
    await call('datasets.delete', { id })
    datasets.value = datasets.value.filter((d) => d.id !== id)
  }

  return { datasets, loaded, loading, error, load, rename, remove, replace }
})
