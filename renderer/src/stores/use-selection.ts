// The images the user has picked, across views: one selection shared by the latent explorer,
// the UMAP panes, the table and the galleries (a lasso, a click, table rows, the outliers above
// a threshold). Dataset positions of one run's dataset; every plot highlights them and dims the
// rest (renderer/src/selection/masks.ts), the Reconstructions view interpolates between them.
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'

export const useSelection = defineStore('selection', () => {
  const runId = shallowRef<number | null>(null)
  const positions = shallowRef<number[]>([])
  /** the saved selection's name while the selection is one (kept in the URL); null otherwise */
  const name = shallowRef<string | null>(null)

  /** Sets the selection; `named`: it is the saved selection of that name. */
  function set(run: number, picked: readonly number[], named: string | null = null): void {
    runId.value = run
    positions.value = [...new Set(picked)]
    name.value = named
  }

  function add(run: number, picked: readonly number[]): void {
    if (runId.value !== run) return set(run, picked)
    positions.value = [...new Set([...positions.value, ...picked])]
    name.value = null
  }

  function clear(): void {
    positions.value = []
    name.value = null
  }

  /** The selection, if it belongs to this run. */
  function of(run: number): number[] {
    return runId.value === run ? positions.value : []
  }

  /** Adds the positions not selected and removes those that were (a ctrl-click). */
  function toggle(run: number, picked: readonly number[]): void {
    if (runId.value !== run) return set(run, picked)
    const now = new Set(positions.value)
    for (const p of picked) if (!now.delete(p)) now.add(p)
    positions.value = [...now]
    name.value = null
  }

  return {
    runId,
    positions,
    name,
    set,
    add,
    toggle,
    clear,
    of,
    size: computed(() => positions.value.length),
  }
})
