// The record view's difference map (renderer/src/selection/difference-map.ts): grey where the
// reconstruction matches, towards blue where it lost brightness, towards red where it added.
import { describe, expect, it } from 'vitest'
import { differenceMap } from '../../../../renderer/src/selection/difference-map'

const batch = (images: number[]) => ({
  count: 1,
  width: images.length,
  height: 1,
  channels: 1 as const,
  images: Uint8Array.from(images),
})

describe('differenceMap', () => {
  it('maps lost, equal and added brightness to blue, grey and red', () => {
    const map = differenceMap({
      originals: batch([255, 100, 0]),
      reconstructions: batch([0, 100, 255]),
    })
    expect(map).toMatchObject({ width: 3, height: 1, channels: 4, at: 0 })
    expect(Array.from(map.bytes)).toEqual([59, 76, 192, 255, 221, 221, 221, 255, 180, 4, 38, 255])
  })
})
