// The latest finished k-means clustering of a run, for colouring scatters by cluster.
import { shallowRef, watch } from 'vue'
import { call } from '../api'

export interface RunClustering {
  id: number
  assignments: Int32Array
  names: string[]
}

export function useRunClustering(runId: () => number) {
  const clustering = shallowRef<RunClustering | null>(null)
  watch(
    runId,
    async (id) => {
      clustering.value = null
      const latest = (await call('clusterings.list', { runId: id })).find(
        (c) => c.method !== 'sweep' && c.status === 'completed',
      )
      if (!latest) return
      const full = await call('clusterings.get', { id: latest.id })
      if (full.assignments)
        clustering.value = { id: full.id, assignments: full.assignments, names: full.names }
    },
    { immediate: true },
  )
  return clustering
}
