// The images the user has picked, across views: a lasso in the latent explorer, the outliers
// above a threshold. Dataset positions of one run's dataset; the Reconstructions view uses
// them (interpolation between two of them, a gallery of them).
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'

export const useSelection = defineStore('selection', () => {
  const runId = shallowRef<number | null>(null)
  const positions = shallowRef<number[]>([])

  function set(run: number, picked: readonly number[]): void {
    runId.value = run
    positions.value = [...new Set(picked)]
  }

  function add(run: number, picked: readonly number[]): void {
    if (runId.value !== run) return set(run, picked)
    positions.value = [...new Set([...positions.value, ...picked])]
  }

  function clear(): void {
    positions.value = []
  }

  /** The selection, if it belongs to this run. */
  function of(run: number): number[] {
    return runId.value === run ? positions.value : []
  }

  return { runId, positions, set, add, clear, of, size: computed(() => positions.value.length) }
})
