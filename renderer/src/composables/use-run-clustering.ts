// A run's finished clusterings, for colouring scatters by cluster: the one the user chose
// (`chosen`, set by a ClusteringPicker), else the newest; `options` lists them all.
import { ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import { call } from '../api'

export interface RunClustering {
  id: number
  assignments: Int32Array
  names: string[]
}

export interface ClusteringOption {
  id: number
  label: string
}

export type RunClusteringRef = ShallowRef<RunClustering | null> & {
  /** every finished clustering of the run, newest first */
  options: ShallowRef<ClusteringOption[]>
}

export function useRunClustering(
  runId: () => number,
  chosen: Ref<number | null> = ref(null),
): RunClusteringRef {
  const clustering = shallowRef<RunClustering | null>(null)
  const options = shallowRef<ClusteringOption[]>([])
  watch(
    [runId, chosen],
    async ([id, want]) => {
      const list = (await call('clusterings.list', { runId: id })).filter(
        (c) => c.method !== 'sweep' && c.status === 'completed',
      )
      options.value = list.map((c) => ({ id: c.id, label: `#${c.id} ${c.method}, k = ${c.k}` }))
      const pick = list.find((c) => c.id === want) ?? list[0]
      if (!pick) return void (clustering.value = null)
      if (clustering.value?.id === pick.id) return
      const full = await call('clusterings.get', { id: pick.id })
      if (full.assignments)
        clustering.value = { id: full.id, assignments: full.assignments, names: full.names }
    },
    { immediate: true },
  )
  return Object.assign(clustering, { options })
}
