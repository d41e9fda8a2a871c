// The selection's name and the items filter in the URL (docs/working-with-data.md, "In the
// app"), beside the view's own state (composables/use-query-state.ts): a reload or a bookmark
// restores the filter and the saved selection that was selected; back and forward step
// through them. When the view opens with none of them in its URL, the ones already set for
// this run (in another view of it) are written there instead, so moving between views keeps
// them.
import { watch } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import { call, errorData } from '../api'
import { updateQuery } from '../composables/use-query-state'
import { useSelection } from '../stores/use-selection'
import { useToasts } from '../stores/use-toasts'
import { fieldsOfQuery, filterParams, withFields } from './filter-query'
import { useItemFilter } from './use-item-filter'

const one = (query: LocationQuery, name: string) => {
  const raw = query[name]
  return typeof raw === 'string' && raw !== '' ? raw : null
}

/** Keeps the items filter (use-item-filter.ts) and the URL's query in step. */
export function useFilterInUrl(runId: () => number): void {
  const route = useRoute()
  const router = useRouter()
  const path = route.path
  const itemFilter = useItemFilter()
  let started = false
  /** writes of the filter not yet in the URL: until they are, the URL's filter is stale */
  let pending = 0

  function write(history?: 'push' | 'replace'): void {
    pending++
    void updateQuery(router, path, (query) => {
      const next = withFields(query, itemFilter.fields)
      return next && { query: next.query, history: history ?? next.history }
    }).finally(() => pending--)
  }
  watch(
    [() => itemFilter.runId, () => route.query],
    () => {
      if (itemFilter.runId !== runId() || route.path !== path) return
      const inUrl = filterParams.some((key) => key in route.query)
      if (!started && !inUrl) {
        started = true
        return write('replace') // the filter set in another view of the run
      }
      started = true
      // another part of the query changed (the saved selection's name, the view's own state)
      // before the filter written here reached it: reading the filter back would undo it
      if (pending > 0) return
      if (withFields(route.query, itemFilter.fields))
        itemFilter.fields = fieldsOfQuery(route.query, itemFilter.fields)
    },
    { immediate: true },
  )
  watch(
    () => itemFilter.fields,
    () => {
      if (started && itemFilter.runId === runId() && route.path === path) write()
    },
    { deep: true },
  )
}

/** Keeps the name of the saved selection that is selected (`selection=`) and the URL in step. */
export function useSelectionNameInUrl(runId: () => number, datasetId: () => number): void {
  const route = useRoute()
  const router = useRouter()
  const path = route.path
  const selection = useSelection()
  const toasts = useToasts()
  const current = () => (selection.runId === runId() ? selection.name : null)
  let asked = 0

  function write(name: string | null, history: 'push' | 'replace'): void {
    updateQuery(router, path, (now) => {
      if (one(now, 'selection') === name) return null
      const query: LocationQuery = { ...now }
      if (name === null) delete query.selection
      else query.selection = name
      return { query, history }
    })
  }
  async function select(name: string): Promise<void> {
    const ask = ++asked
    try {
      const saved = await call('selections.list', { datasetId: datasetId() })
      const found = saved.find((s) => s.name === name)
      if (!found) {
        toasts.show(`No saved selection is named “${name}”.`, 'error')
        return write(null, 'replace')
      }
      const full = await call('selections.get', { id: found.id })
      if (ask === asked) selection.set(runId(), Array.from(full.positions), name)
    } catch (caught) {
      toasts.show(errorData(caught).message, 'error')
    }
  }
  let started = false
  watch(
    () => route.query.selection,
    () => {
      if (route.path !== path) return
      const inUrl = one(route.query, 'selection')
      if (!started && inUrl === null && current() !== null) write(current(), 'replace')
      else if (inUrl !== null && inUrl !== current()) void select(inUrl)
      else if (inUrl === null && current() !== null) selection.clear()
      started = true
    },
    { immediate: true },
  )
  watch(current, (name) => {
    if (route.path !== path) return
    asked++ // a selection made meanwhile wins over one still loading
    write(name, name === null ? 'replace' : 'push')
  })
}
