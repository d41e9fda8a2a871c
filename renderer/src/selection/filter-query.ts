// The items filter's fields in a URL's query, so a reload or a bookmark restores them
// (docs/working-with-data.md, "In the app"): `find` (text), `error` and `certainty` as "min,max"
// (either side may be empty), `label`, `split`, `tag` and `saved` (a saved selection's id). A
// selection used as a filter (a list of positions) stays out of the URL.
import type { LocationQuery } from 'vue-router'
import { emptyFields, type FilterFields } from './filter-fields'

/** the query parameters the filter owns */
export const filterParams = [
  'find',
  'error',
  'certainty',
  'label',
  'split',
  'tag',
  'saved',
] as const
/** parameters a change of which is a history entry of its own (a choice, not typing) */
const choices = new Set<string>(['label', 'split', 'tag', 'saved'])

type FilterQuery = Partial<Record<(typeof filterParams)[number], string>>

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

function range(min: number | null, max: number | null): string | undefined {
  if (!finite(min) && !finite(max)) return undefined
  return `${finite(min) ? min : ''},${finite(max) ? max : ''}`
}

function parseRange(text: string | undefined): [number | null, number | null] {
  const [min, max] = (text ?? '').split(',')
  const num = (v: string | undefined) =>
    v === undefined || v.trim() === '' || !Number.isFinite(Number(v)) ? null : Number(v)
  return [num(min), num(max)]
}

/** The filter's query parameters; a field left empty has none. */
export function queryOfFields(fields: FilterFields): FilterQuery {
  const query: FilterQuery = {
    find: fields.text.trim() || undefined,
    error: range(fields.errorMin, fields.errorMax),
    certainty: range(fields.certaintyMin, fields.certaintyMax),
    label: fields.label || undefined,
    split: fields.split || undefined,
    tag: fields.tag || undefined,
    saved: fields.selectionId === null ? undefined : String(fields.selectionId),
  }
  for (const key of filterParams) if (query[key] === undefined) delete query[key]
  return query
}

/** The fields a query stands for; `positions` (not in URLs) is kept from `current`. */
export function fieldsOfQuery(query: LocationQuery, current: FilterFields): FilterFields {
  const one = (name: string) => {
    const raw = query[name]
    return typeof raw === 'string' ? raw : undefined
  }
  const [errorMin, errorMax] = parseRange(one('error'))
  const [certaintyMin, certaintyMax] = parseRange(one('certainty'))
  const split = one('split')
  const saved = one('saved')
  return {
    ...emptyFields(),
    text: one('find') ?? '',
    errorMin,
    errorMax,
    certaintyMin,
    certaintyMax,
    label: one('label') ?? '',
    split: split === 'train' || split === 'validation' ? split : '',
    tag: one('tag') ?? '',
    selectionId: saved && /^\d+$/.test(saved) ? Number(saved) : null,
    positions: current.positions,
  }
}

/**
 * The route's query with the filter's parameters replaced by `fields`' own, and whether the
 * change is a history entry of its own ('push': a choice) or replaces the current ('replace':
 * typing); null when the URL holds these fields already.
 */
export function withFields(
  query: LocationQuery,
  fields: FilterFields,
): { query: LocationQuery; history: 'push' | 'replace' } | null {
  const next: LocationQuery = { ...query }
  for (const key of filterParams) delete next[key]
  const own = queryOfFields(fields)
  Object.assign(next, own)
  let changed = false
  let history: 'push' | 'replace' = 'replace'
  for (const key of filterParams) {
    const before = typeof query[key] === 'string' ? query[key] : undefined
    if (before === own[key]) continue
    changed = true
    if (choices.has(key)) history = 'push'
  }
  return changed ? { query: next, history } : null
}
