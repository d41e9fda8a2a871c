// The rows of the items table, a page at a time as the virtual list scrolls to them, for the
// table's query (items.query: filter, sort), and each page's thumbnails (datasets.itemsAt). A
// new query drops the pages it had.
import { computed, shallowRef, watch, type Ref } from 'vue'
import type { ItemColumn, ItemFilter, ItemRow } from '@shared/items'
import type { ItemPage } from '@shared/types'
import { call, errorData } from '../api'

const pageSize = 200

export function useItemRows(
  query: Ref<{
    datasetId: number
    runId?: number
    clusteringId?: number
    filter: ItemFilter
    sort: { column: ItemColumn; descending: boolean }
    /** bumped when the items changed (tags, labels) */
    revision: number
  }>,
) {
  const matched = shallowRef<number | null>(null)
  const total = shallowRef<number | null>(null)
  const pages = shallowRef(new Map<number, ItemRow[]>())
  const thumbs = shallowRef(new Map<number, ItemPage>())
  const error = shallowRef<string | null>(null)
  const loading = new Set<number>()
  let generation = 0

  async function load(page: number): Promise<void> {
    if (pages.value.has(page) || loading.has(page)) return
    const asked = generation
    loading.add(page)
    try {
      const { revision: _revision, ...params } = query.value
      const result = await call('items.query', {
        ...params,
        offset: page * pageSize,
        limit: pageSize,
      })
      if (asked !== generation) return
      matched.value = result.matched
      total.value = result.total
      pages.value = new Map(pages.value).set(page, result.rows)
      error.value = null
      const positions = result.rows.map((r) => r.position)
      if (!positions.length) return
      const images = await call('datasets.itemsAt', { id: params.datasetId, positions })
      if (asked === generation) thumbs.value = new Map(thumbs.value).set(page, images)
    } catch (caught) {
      if (asked === generation) error.value = errorData(caught).message
    } finally {
      loading.delete(page)
    }
  }

  watch(
    query,
    () => {
      generation++
      loading.clear()
      pages.value = new Map()
      thumbs.value = new Map()
      void load(0)
    },
    { deep: true, immediate: true },
  )

  /** The row at this index of the sorted, filtered table, loading its page if need be. */
  function rowAt(index: number): ItemRow | null {
    const page = Math.floor(index / pageSize)
    const rows = pages.value.get(page)
    if (!rows) {
      void load(page)
      return null
    }
    return rows[index - page * pageSize] ?? null
  }

  /** The thumbnail of the row at this index, once its page's images came. */
  function thumbAt(index: number): { page: ItemPage; at: number } | null {
    const page = Math.floor(index / pageSize)
    const images = thumbs.value.get(page)
    return images ? { page: images, at: index - page * pageSize } : null
  }

  return { matched, total, error, rowAt, thumbAt, loaded: computed(() => pages.value) }
}
