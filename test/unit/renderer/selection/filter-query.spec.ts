// The items filter's fields in a URL's query and back (renderer/src/selection/filter-query.ts):
// what a reload or a bookmark restores, and which changes are history entries of their own.
import { describe, expect, it } from 'vitest'
import { emptyFields } from '../../../../renderer/src/selection/filter-fields'
import {
  fieldsOfQuery,
  queryOfFields,
  withFields,
} from '../../../../renderer/src/selection/filter-query'

const set = { ...emptyFields(), text: ' Bag ', errorMin: 0.01, certaintyMax: 0.5, label: 'Coat' }

describe('the filter in the URL', () => {
  it('writes only the fields set, ranges as "min,max" with an open side empty', () => {
    expect(queryOfFields(emptyFields())).toEqual({})
    expect(queryOfFields(set)).toEqual({
      find: 'Bag',
      error: '0.01,',
      certainty: ',0.5',
      label: 'Coat',
    })
    expect(queryOfFields({ ...emptyFields(), split: 'train', tag: 'x', selectionId: 7 })).toEqual({
      split: 'train',
      tag: 'x',
      saved: '7',
    })
  })

  it('reads back what it wrote, drops what is not a value, and keeps the positions', () => {
    const positions = [3, 4]
    const back = fieldsOfQuery(queryOfFields(set), { ...emptyFields(), positions })
    expect(back).toEqual({ ...set, text: 'Bag', positions })
    const odd = fieldsOfQuery(
      { error: 'x,2', split: 'test', saved: 'seven', find: ['a', 'b'] },
      emptyFields(),
    )
    expect(odd).toEqual({ ...emptyFields(), errorMax: 2 })
  })

  it('keeps the other parameters, and pushes a choice but replaces typing', () => {
    const typed = withFields({ colour: 'error' }, { ...emptyFields(), text: 'Ba' })
    expect(typed).toEqual({ query: { colour: 'error', find: 'Ba' }, history: 'replace' })
    const chosen = withFields({ find: 'Ba' }, { ...emptyFields(), text: 'Ba', label: 'Bag' })
    expect(chosen).toEqual({ query: { find: 'Ba', label: 'Bag' }, history: 'push' })
    expect(withFields({ find: 'Ba', mode: '2d' }, { ...emptyFields(), text: 'Ba' })).toBeNull()
    expect(withFields({ find: 'Ba', label: 'Bag' }, emptyFields())).toEqual({
      query: {},
      history: 'push',
    })
  })
})
