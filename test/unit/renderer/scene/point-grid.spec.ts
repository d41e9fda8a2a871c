import { PerspectiveCamera } from 'three'
import { describe, expect, it } from 'vitest'
import { PointGrid } from '../../../../renderer/src/scene/point-grid'

const width = 800
const height = 600

function view() {
  const camera = new PerspectiveCamera(50, width / height, 0.01, 100)
  camera.position.set(0.4, -0.3, 3)
  camera.lookAt(0, 0, 0)
  camera.updateMatrixWorld()
  const viewProjection = camera.projectionMatrix.clone().multiply(camera.matrixWorldInverse)
  return {
    viewProjection: viewProjection.elements,
    inverse: viewProjection.clone().invert().elements,
    width,
    height,
  }
}

/** The nearest point on screen within the radius (front one on a tie), by a loop over all. */
function bruteForce(
  positions: Float32Array,
  m: ArrayLike<number>,
  x: number,
  y: number,
  r: number,
) {
  let best = -1
  let bestD2 = r * r
  for (let i = 0; i < positions.length / 3; i++) {
    const [px, py, pz] = positions.subarray(i * 3, i * 3 + 3)
    const w = m[3] * px + m[7] * py + m[11] * pz + m[15]
    const sx = ((m[0] * px + m[4] * py + m[8] * pz + m[12]) / w + 1) * (width / 2)
    const sy = (1 - (m[1] * px + m[5] * py + m[9] * pz + m[13]) / w) * (height / 2)
    const d2 = (sx - x) ** 2 + (sy - y) ** 2
    if (d2 < bestD2) {
      best = i
      bestD2 = d2
    }
  }
  return best
}

describe('PointGrid', () => {
  it('picks what a loop over every point picks, in perspective', () => {
    let state = 3
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1
    const positions = Float32Array.from({ length: 20_000 * 3 }, random)
    const grid = new PointGrid(positions)
    const v = view()
    let found = 0
    for (let trial = 0; trial < 200; trial++) {
      const x = (random() * 0.5 + 0.5) * width
      const y = (random() * 0.5 + 0.5) * height
      const expected = bruteForce(positions, v.viewProjection, x, y, 5)
      expect(grid.pick(x, y, 5, v)).toBe(expected)
      if (expected >= 0) found++
    }
    expect(found).toBeGreaterThan(100)
  })

  it('finds nothing where there is nothing, and skips points that are not visible', () => {
    const positions = Float32Array.from([0, 0, 0, 0.5, 0.5, 0])
    const grid = new PointGrid(positions)
    const v = view()
    const m = v.viewProjection
    const screen = (i: number) => {
      const [px, py, pz] = positions.subarray(i * 3, i * 3 + 3)
      const w = m[3] * px + m[7] * py + m[11] * pz + m[15]
      return [
        ((m[0] * px + m[4] * py + m[8] * pz + m[12]) / w + 1) * (width / 2),
        (1 - (m[1] * px + m[5] * py + m[9] * pz + m[13]) / w) * (height / 2),
      ]
    }
    const [x, y] = screen(1)
    expect(grid.pick(x + 1, y, 5, v)).toBe(1)
    expect(grid.pick(x + 1, y, 5, v, (i) => i !== 1)).toBe(-1)
    expect(grid.pick(5, 5, 5, v)).toBe(-1)
  })
})
