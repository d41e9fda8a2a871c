// A view's state in the URL's query, so a reload or a bookmark restores the view and back/forward
// step through it: a discrete choice (layout, colour) is a history entry of its own ('push'), a
// continuous one (a slider, a search being typed) replaces the current entry ('replace'). A value
// equal to its default leaves the query, keeping URLs short.
import { watch, type Ref } from 'vue'
import { useRoute, useRouter, type LocationQuery, type Router } from 'vue-router'

export interface QueryCodec<T> {
  /** the value a query string stands for, or undefined when it is not one */
  parse(text: string): T | undefined
  format(value: T): string
}

/** One of a fixed list of words. */
export function oneOf<T extends string>(...values: readonly T[]): QueryCodec<T> {
  return {
    parse: (text) => (values.includes(text as T) ? (text as T) : undefined),
    format: (value) => value,
  }
}

/** A finite number, optionally within [min, max]. */
export function numberIn(min = -Infinity, max = Infinity): QueryCodec<number> {
  return {
    parse: (text) => {
      const value = Number(text)
      return text !== '' && Number.isFinite(value) && value >= min && value <= max
        ? value
        : undefined
    },
    format: String,
  }
}

export const text: QueryCodec<string> = { parse: (value) => value, format: (value) => value }

export const flag: QueryCodec<boolean> = {
  parse: (value) => (value === '1' ? true : value === '0' ? false : undefined),
  format: (value) => (value ? '1' : '0'),
}

/** A number or nothing ('' in the query is nothing). */
export function optionalId(): QueryCodec<number | null> {
  return {
    parse: (value) => (/^\d+$/.test(value) ? Number(value) : value === '' ? null : undefined),
    format: (value) => (value === null ? '' : String(value)),
  }
}

function read<T>(query: LocationQuery, name: string, codec: QueryCodec<T>): T | undefined {
  const raw = query[name]
  return typeof raw === 'string' ? codec.parse(raw) : undefined
}

let writes: Promise<unknown> = Promise.resolve()
/**
 * Changes the query of the route at `path`, one change after the other: each reads the query
 * the one before it left (two written in one tick would each spread the same old query).
 * Settles when this change has been made (or found not needed).
 */
export function updateQuery(
  router: Router,
  path: string,
  change: (query: LocationQuery) => { query: LocationQuery; history: 'push' | 'replace' } | null,
): Promise<unknown> {
  writes = writes
    .then(() => {
      const route = router.currentRoute.value
      if (route.path !== path) return
      const next = change(route.query)
      return next && router[next.history]({ query: next.query })
    })
    .catch(() => undefined)
  return writes
}

/**
 * Keeps `state` and the query parameter `name` in step: the URL's value (when valid) wins at
 * first, a change of `state` writes the URL, a change of the URL (back, forward) sets `state`.
 */
export function useQueryState<T>(
  name: string,
  state: Ref<T>,
  codec: QueryCodec<T>,
  history: 'push' | 'replace' = 'push',
): void {
  const route = useRoute()
  const router = useRouter()
  const fallback = state.value
  const path = route.path // leaving the view is not a change of its state
  const initial = read(route.query, name, codec)
  if (initial !== undefined) state.value = initial

  watch(
    () => route.query[name],
    () => {
      if (route.path !== path) return
      const value = read(route.query, name, codec) ?? fallback
      if (codec.format(value) !== codec.format(state.value)) state.value = value
    },
  )
  watch(state, () => {
    if (route.path !== path) return
    // through the one queue of query writes: a write of the filter (selection/use-view-url.ts)
    // in flight would otherwise be lost to this one, spread from the query before it. The value
    // is read when the write's turn comes, so quick changes end at the last one and the URL
    // never steps back through the ones between (which would set the state back)
    updateQuery(router, path, (now) => {
      const value = state.value
      const formatted =
        codec.format(value) === codec.format(fallback) ? undefined : codec.format(value)
      const current = now[name]
      if ((typeof current === 'string' ? current : undefined) === formatted) return null
      const query: LocationQuery = { ...now }
      if (formatted === undefined) delete query[name]
      else query[name] = formatted
      return { query, history }
    })
  })
}
