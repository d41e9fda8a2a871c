// The items table's filter fields as the form holds them, and the query filter they make
// (main/core/shared/items.ts, itemFilter): a field left empty holds for every item.
import type { ItemFilter } from '@shared/items'

export interface FilterFields {
  text: string
  errorMin: number | null
  errorMax: number | null
  certaintyMin: number | null
  certaintyMax: number | null
  /** '' : any; '(none)': the unlabelled */
  label: string
  split: '' | 'train' | 'validation'
  tag: string
  selectionId: number | null
  /** only these dataset positions (a selection used as a filter) */
  positions: number[] | null
}

export const emptyFields = (): FilterFields => ({
  text: '',
  errorMin: null,
  errorMax: null,
  certaintyMin: null,
  certaintyMax: null,
  label: '',
  split: '',
  tag: '',
  selectionId: null,
  positions: null,
})

const numberOrUndefined = (v: number | null | string) =>
  v === null || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v)

/** The query's filter from the form's fields; fields left empty hold for every item. */
export function filterOf(fields: FilterFields): ItemFilter {
  const filter: ItemFilter = {}
  if (fields.text.trim()) filter.text = fields.text.trim()
  const error = { min: numberOrUndefined(fields.errorMin), max: numberOrUndefined(fields.errorMax) }
  if (error.min !== undefined || error.max !== undefined) filter.error = error
  const certainty = {
    min: numberOrUndefined(fields.certaintyMin),
    max: numberOrUndefined(fields.certaintyMax),
  }
  if (certainty.min !== undefined || certainty.max !== undefined) filter.certainty = certainty
  if (fields.label) filter.labels = [fields.label === '(none)' ? null : fields.label]
  if (fields.split) filter.splits = [fields.split]
  if (fields.tag) filter.tags = [fields.tag]
  if (fields.selectionId !== null) filter.selectionId = fields.selectionId
  if (fields.positions) filter.positions = fields.positions
  return filter
}
