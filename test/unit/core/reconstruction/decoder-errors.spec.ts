// Gallery order, outlier histogram and threshold, and the difference heatmap, exact on small arrays.
import { describe, expect, it } from 'vitest'
import {
  aboveThreshold,
  differenceHeatmap,
  errorHistogram,
  errorOrder,
} from '../../../../main/core/reconstruction/decoder-errors'

const errors = Float32Array.from([0.5, 0.1, 0.9, 0.1, NaN, 0.7, 0.3])

describe('errorOrder', () => {
  it('puts the worst first, ties in position order, NaN last', () => {
    expect([...errorOrder(errors, { worstFirst: true })]).toEqual([2, 5, 0, 6, 1, 3, 4])
  })

  it('puts the best first the same way', () => {
    expect([...errorOrder(errors, { worstFirst: false })]).toEqual([1, 3, 6, 0, 5, 2, 4])
  })

  it('orders only the allowed positions, and leaves the filter as it was', () => {
    const filter = Int32Array.from([6, 3, 2, 4, 0])
    expect([...errorOrder(errors, { worstFirst: true, filter })]).toEqual([2, 0, 6, 3, 4])
    expect([...filter]).toEqual([6, 3, 2, 4, 0])
  })

  it('is empty for no errors', () => {
    expect(errorOrder(new Float32Array(0), { worstFirst: true }).length).toBe(0)
  })
})

describe('errorHistogram', () => {
  it('spans min to max with the last bin closed', () => {
    const { edges, counts } = errorHistogram(Float32Array.from([0, 1, 2, 3, 4, 4, 8]), 4)
    expect([...edges]).toEqual([0, 2, 4, 6, 8])
    expect([...counts]).toEqual([2, 2, 2, 1])
  })

  it('skips NaN and values outside a given range', () => {
    const { edges, counts } = errorHistogram(
      Float32Array.from([-1, 0, 0.25, 0.5, 0.75, 1, 1.5, NaN]),
      2,
      [0, 1],
    )
    expect([...edges]).toEqual([0, 0.5, 1])
    expect([...counts]).toEqual([2, 3])
  })

  it('counts a value on an edge in the bin that the edges say', () => {
    // (v − lo)·bins/(hi − lo) can round to the bin below or above the one the edges give
    for (const v of [0.1, 0.2, 0.3, 0.6, 0.7, 0.9]) {
      const { edges, counts } = errorHistogram(Float32Array.from([v]), 10, [0, 1])
      const bin = counts.indexOf(1)
      const value = Math.fround(v)
      expect(value >= edges[bin] && (value < edges[bin + 1] || bin === 9)).toBe(true)
    }
  })

  it('gives one bin holding every value when they are all equal', () => {
    const { edges, counts } = errorHistogram(Float32Array.from([0.25, 0.25, 0.25]), 3)
    expect(edges[0]).toBe(0.25)
    expect(edges[3]).toBeGreaterThan(0.25)
    expect([...counts]).toEqual([3, 0, 0])
  })
})

describe('aboveThreshold', () => {
  it('lists the positions strictly above, in dataset order', () => {
    expect([...aboveThreshold(errors, 0.5)]).toEqual([2, 5])
    expect([...aboveThreshold(errors, 0.1)]).toEqual([0, 2, 5, 6])
    expect(aboveThreshold(errors, 1).length).toBe(0)
  })
})

describe('differenceHeatmap', () => {
  const rgbaAt = (rgba: Uint8Array, p: number) => [...rgba.subarray(p * 4, p * 4 + 4)]

  it('maps the signed difference onto cool-warm: grey when equal, red added, blue lost', () => {
    const original = Uint8Array.from([100, 0, 255, 40])
    const reconstruction = Uint8Array.from([100, 255, 0, 40])
    const rgba = differenceHeatmap(original, reconstruction, 2, 2, 1)
    expect(rgba.length).toBe(16)
    expect(rgbaAt(rgba, 0)).toEqual([221, 221, 221, 255])
    expect(rgbaAt(rgba, 1)).toEqual([180, 4, 38, 255])
    expect(rgbaAt(rgba, 2)).toEqual([59, 76, 192, 255])
    expect(rgbaAt(rgba, 3)).toEqual([221, 221, 221, 255])
  })

  it('maps the absolute difference onto inferno, and saturates at the scale', () => {
    const original = Uint8Array.from([10, 200, 0])
    const reconstruction = Uint8Array.from([10, 100, 64])
    const rgba = differenceHeatmap(original, reconstruction, 3, 1, 1, {
      map: 'absolute',
      scale: 64,
    })
    expect(rgbaAt(rgba, 0)).toEqual([0, 0, 4, 255])
    expect(rgbaAt(rgba, 1)).toEqual([252, 255, 164, 255])
    expect(rgbaAt(rgba, 2)).toEqual([252, 255, 164, 255])
  })

  it('averages the difference over channels', () => {
    // one pixel of 3 channels: +255 on red only is a third of the way to full red
    const third = differenceHeatmap(
      Uint8Array.from([0, 0, 0]),
      Uint8Array.from([255, 0, 0]),
      1,
      1,
      3,
    )
    const full = differenceHeatmap(
      Uint8Array.from([0, 0, 0]),
      Uint8Array.from([85, 85, 85]),
      1,
      1,
      3,
    )
    expect([...third]).toEqual([...full])
    expect([...third]).not.toEqual([221, 221, 221, 255])
  })
})
