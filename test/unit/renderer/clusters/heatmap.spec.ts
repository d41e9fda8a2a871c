import { describe, expect, it } from 'vitest'
import { heatRows } from '../../../../renderer/src/clusters/heatmap'

describe('cluster × label heatmap rows', () => {
  it('orders clusters by the label they hold most of, larger first on ties', () => {
    // clusters 0…3 over labels a, b, c
    // prettier-ignore
    const counts = [
      0, 1, 9, // cluster 0: mostly c
      8, 2, 0, // cluster 1: mostly a
      0, 7, 1, // cluster 2: mostly b
      9, 0, 0, // cluster 3: mostly a, more than cluster 1
    ]
    const rows = heatRows(counts, 4, 3)
    expect(rows.map((r) => r.cluster)).toEqual([3, 1, 2, 0])
    expect(rows[1].cells.map((c) => c.n)).toEqual([8, 2, 0])
  })

  it('shades each row by its own largest cell', () => {
    const rows = heatRows([2, 4, 0, 0, 0, 10], 2, 3)
    expect(rows[0].cells.map((c) => c.shade)).toEqual([0.5, 1, 0])
    expect(rows[1].cells.map((c) => c.shade)).toEqual([0, 0, 1])
  })

  it('puts empty clusters last, unshaded', () => {
    const rows = heatRows([0, 0, 3, 1], 2, 2)
    expect(rows.map((r) => r.cluster)).toEqual([1, 0])
    expect(rows[1].cells.map((c) => c.shade)).toEqual([0, 0])
  })
})
