import { describe, expect, it } from 'vitest'
import {
  categoricalPalette,
  categoryColor,
  colorBytes,
} from '../../../../renderer/src/scene/color-maps'

function distance(a: string, b: string): number {
  const [x, y] = [colorBytes(a), colorBytes(b)]
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2])
}

describe('the categorical palette', () => {
  it('starts with Tableau 10 and does not repeat past ten categories', () => {
    expect(categoricalPalette.slice(0, 3)).toEqual(['#4e79a7', '#f28e2b', '#e15759'])
    const first = Array.from({ length: 60 }, (_, i) => categoryColor(i))
    expect(new Set(first).size).toBe(60)
    expect(first.every((c) => /^#[0-9a-f]{6}$/.test(c))).toBe(true)
    // each of the first 60 is visibly apart from every other (sRGB distance over 40 of 441)
    let closest = Infinity
    for (let i = 0; i < 60; i++)
      for (let j = i + 1; j < 60; j++) closest = Math.min(closest, distance(first[i], first[j]))
    expect(closest).toBeGreaterThan(40)
  })
})
