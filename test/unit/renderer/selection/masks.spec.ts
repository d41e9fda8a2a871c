// What a plot lights from the shared selection and the table's filter
// (renderer/src/selection/masks.ts), and the query filter the table's fields make
// (renderer/src/selection/filter-fields.ts).
import { describe, expect, it } from 'vitest'
import { selectionMask } from '../../../../renderer/src/selection/masks'
import { emptyFields, filterOf } from '../../../../renderer/src/selection/filter-fields'

describe('selectionMask', () => {
  it('is null when nothing is selected or filtered: every point drawn as usual', () => {
    expect(selectionMask(5, null, [], null)).toBeNull()
  })

  it('lights the selected positions and dims the rest', () => {
    expect(Array.from(selectionMask(5, null, [1, 3], null)!)).toEqual([0, 1, 0, 1, 0])
  })

  it('maps positions through the rows drawn (the epoch replay draws a sample)', () => {
    const rows = Int32Array.from([40, 10, 30])
    expect(Array.from(selectionMask(3, rows, [10, 30], null)!)).toEqual([0, 1, 1])
  })

  it('lights only what is both selected and kept by the filter, and the search', () => {
    const matching = Int32Array.from([1, 2, 3])
    expect(Array.from(selectionMask(5, null, [], matching)!)).toEqual([0, 1, 1, 1, 0])
    expect(Array.from(selectionMask(5, null, [0, 1, 2], matching)!)).toEqual([0, 1, 1, 0, 0])
    const search = Uint8Array.from([1, 1, 0, 0, 0])
    expect(Array.from(selectionMask(5, null, [0, 1, 2], matching, search)!)).toEqual([
      0, 1, 0, 0, 0,
    ])
  })

  it('dims everything when the filter keeps nothing', () => {
    expect(Array.from(selectionMask(3, null, [], new Int32Array())!)).toEqual([0, 0, 0])
  })
})

describe('filterOf', () => {
  it('leaves out the fields left empty', () => {
    expect(filterOf(emptyFields())).toEqual({})
    expect(filterOf({ ...emptyFields(), text: '  ', errorMin: null })).toEqual({})
  })

  it('makes ranges, categories, a saved selection and positions', () => {
    expect(
      filterOf({
        ...emptyFields(),
        text: ' coat ',
        errorMin: 0.01,
        certaintyMax: 0.5,
        label: '(none)',
        split: 'validation',
        tag: 'look-again',
        selectionId: 4,
        positions: [2, 7],
      }),
    ).toEqual({
      text: 'coat',
      error: { min: 0.01, max: undefined },
      certainty: { min: undefined, max: 0.5 },
      labels: [null],
      splits: ['validation'],
      tags: ['look-again'],
      selectionId: 4,
      positions: [2, 7],
    })
  })
})
