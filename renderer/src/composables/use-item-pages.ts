import { markRaw, ref, watch } from 'vue'
import type { ItemPage } from '@shared/types'
import { call, errorData } from '../api'

/** Items per datasets.items call. */
export const pageSize = 512
/** Pixel bytes kept in the cache before the least recently used pages are dropped. */
const cacheBytes = 96 * 1024 * 1024
/** Requests in flight at once: few, so a fast scroll does not queue pages nobody looks at anymore. */
const maxInFlight = 2

/** A label to show only its items; null for the unlabelled ones; undefined for all. */
export type LabelFilter = string | null | undefined

/**
 * A dataset's items, fetched a page at a time as the view asks for ranges, and cached (LRU).
 * Pages are plain objects outside Vue's reactivity; `version` changes when one arrives.
 */
export function useItemPages(datasetId: () => number, label: () => LabelFilter) {
  const total = ref<number | null>(null)
  const error = ref<string | null>(null)
  const version = ref(0)
  let pages = new Map<number, ItemPage>() // insertion order = least recently used first
  let bytes = 0
  const loading = new Set<number>()
  let wanted = { first: 0, last: 0 }
  let generation = 0

  function pageCount(): number {
    return total.value === null ? 1 : Math.ceil(total.value / pageSize)
  }

  /** The page holding an item, or null while it loads. Reading it subscribes to page arrivals. */
  function pageOf(index: number): ItemPage | null {
    void version.value
    return pages.get(Math.floor(index / pageSize)) ?? null
  }

  /** Asks for the items first..last (inclusive) to be loaded; pages outside the range wait. */
  function ensure(first: number, last: number): void {
    const lastPage = pageCount() - 1
    wanted = {
      first: Math.min(lastPage, Math.max(0, Math.floor(first / pageSize))),
      last: Math.min(lastPage, Math.max(0, Math.floor(last / pageSize))),
    }
    for (let p = wanted.first; p <= wanted.last; p++) {
      const page = pages.get(p)
      if (page) {
        pages.delete(p)
        pages.set(p, page)
      }
    }
    pump()
  }

  function pump(): void {
    if (error.value) return
    for (let p = wanted.first; p <= wanted.last && loading.size < maxInFlight; p++)
      if (!pages.has(p) && !loading.has(p)) void fetchPage(p)
  }

  function keep(index: number, page: ItemPage): void {
    pages.set(index, markRaw(page))
    bytes += page.pixels.byteLength
    for (const [p, old] of pages) {
      if (bytes <= cacheBytes) break
      if (p >= wanted.first && p <= wanted.last) continue
      pages.delete(p)
      bytes -= old.pixels.byteLength
    }
    version.value++
  }

  async function fetchPage(index: number): Promise<void> {
    const asked = generation
    loading.add(index)
    try {
      const page = await call('datasets.items', {
        id: datasetId(),
        offset: index * pageSize,
        limit: pageSize,
        label: label(),
      })
      if (asked !== generation) return
      total.value = page.total
      keep(index, page)
    } catch (caught) {
      if (asked === generation) error.value = errorData(caught).message
    } finally {
      if (asked === generation) {
        loading.delete(index)
        pump()
      }
    }
  }

  function reset(): void {
    generation++
    pages = new Map()
    bytes = 0
    loading.clear()
    total.value = null
    error.value = null
    wanted = { first: 0, last: 0 }
    version.value++
    pump()
  }

  function retry(): void {
    error.value = null
    pump()
  }

  watch([datasetId, label], reset, { immediate: true })

  return { total, error, pageOf, ensure, retry }
}
