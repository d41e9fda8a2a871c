import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppInfo } from '@shared/types'
import { call, errorData } from '../api'

/** What the core says about itself: version, workspace file, whether the sample is installed. */
export const useAppInfo = defineStore('app-info', () => {
  const info = ref<AppInfo | null>(null)
  const error = ref<string | null>(null)
  let loading: Promise<void> | null = null

  /** Asks once; `again` asks anew (after a reconnection, say). */
  function load(again = false): Promise<void> {
    if (again) loading = null
    loading ??= call('app.info', {})
      .then((result) => {
        info.value = result
        error.value = null
      })
      .catch((caught: unknown) => {
        error.value = errorData(caught).message
        loading = null
      })
    return loading
  }

  return { info, error, load }
})
