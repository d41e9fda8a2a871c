import { describe, expect, it } from 'vitest'
import {
  nearestRows,
  normalise,
  padTo3,
  pcaBasis,
  projectOn,
} from '../../../../renderer/src/latent/layouts'

describe('latent layouts', () => {
  it('pads 2-D codes to 3-D positions', () => {
    expect(Array.from(padTo3(Float32Array.from([1, 2, 3, 4]), 2, 2))).toEqual([1, 2, 0, 3, 4, 0])
  })

  it('puts the direction of largest spread on the first axis', () => {
    // 5-D codes spread mostly along (1, 1, 0, 0, 0), a little along the third axis
    const n = 400
    const codes = new Float32Array(n * 5)
    for (let i = 0; i < n; i++) {
      const t = (i / n - 0.5) * 10
      const s = Math.sin(i) * 0.5
      codes.set([t + 3, t - 1, s, 0, 2], i * 5)
    }
    const positions = projectOn(codes, n, pcaBasis(codes, n, 5))
    let spread = [0, 0, 0]
    for (let i = 0; i < n; i++) spread = spread.map((v, k) => v + positions[i * 3 + k] ** 2)
    expect(spread[0]).toBeGreaterThan(50 * spread[1])
    expect(spread[1]).toBeGreaterThan(1e-3)
    expect(spread[2]).toBeLessThan(1e-6)
  })

  it('centres and scales a layout to an RMS radius of 1', () => {
    const p = normalise(Float32Array.from([10, 0, 0, 14, 0, 0]))
    expect(Array.from(p)).toEqual([-1, 0, 0, 1, 0, 0])
  })

  it('finds the nearest codes, nearest first, without the point itself', () => {
    const codes = Float32Array.from([0, 0, 5, 5, 1, 0, 0, 2, 9, 9])
    expect(nearestRows(codes, 2, 0, 2)).toEqual([2, 3])
  })
})
