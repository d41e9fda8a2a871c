// A run's clusterings for the Clusters view: the list, the one shown, a new one or a sweep
// followed until it is stored (use-stored-job.ts), and renaming a cluster.
import { computed, ref, shallowRef, watch } from 'vue'
import type { Clustering, ClusteringSummary } from '@shared/clusterings'
import type { ParamsOf } from '../../../main/core/contract'
import { call, errorData } from '../api'
import { useStoredJob } from '../composables/use-stored-job'
import { useRuns } from '../stores/use-runs'

export function useClusterings(runId: () => number) {
  const runs = useRuns()
  const error = ref<string | null>(null)
  const list = ref<ClusteringSummary[]>([])
  const chosenId = ref<number | null>(null)
  const chosen = shallowRef<Clustering | null>(null)

  const sweep = computed(
    () => list.value.find((c) => c.method === 'sweep' && c.sweep)?.sweep ?? null,
  )
  /** the finished clusterings (not sweeps), newest first */
  const finished = computed(() =>
    list.value.filter((c) => c.method !== 'sweep' && c.status === 'completed'),
  )

  async function refresh(): Promise<void> {
    try {
      await runs.refresh(runId())
      list.value = await call('clusterings.list', { runId: runId() })
      if (chosenId.value === null) chosenId.value = finished.value[0]?.id ?? null
    } catch (caught) {
      error.value = errorData(caught).message
    }
  }
  watch(runId, refresh, { immediate: true })
  watch(chosenId, async (id) => {
    // one that just finished came with its result (onResult below)
    if (chosen.value?.id !== id)
      chosen.value = id === null ? null : await call('clusterings.get', { id })
  })

  const job = useStoredJob('clustering', {
    onResult: async (clustering) => {
      await refresh()
      if (clustering.method === 'sweep') return
      chosen.value = clustering
      chosenId.value = clustering.id
    },
    onEnd: async ({ status, error: reason }) => {
      if (status === 'failed') error.value = reason ?? 'The clustering failed.'
      await refresh()
    },
  })

  async function follow(begin: Parameters<typeof job.start>[0], label: string): Promise<void> {
    error.value = null
    try {
      await job.start(begin, label)
    } catch (caught) {
      error.value = errorData(caught).message
    }
  }

  return {
    error,
    chosenId,
    chosen,
    sweep,
    finished,
    busy: job.job,
    cancel: job.cancel,
    cluster: (params: ParamsOf<'clusterings.start'>, label: string) =>
      follow(() => call('clusterings.start', params), label),
    sweepK: (seed: number) =>
      follow(
        () => call('clusterings.sweep', { runId: runId(), from: 2, to: 15, seed }),
        'sweep over k = 2…15',
      ),
    async rename(cluster: number, name: string): Promise<void> {
      if (!chosen.value) return
      const { names } = await call('clusterings.renameCluster', {
        id: chosen.value.id,
        cluster,
        name,
      })
      chosen.value = { ...chosen.value, names }
    },
  }
}
