// Hover picking without waiting for the GPU: a uniform 3D grid over the points, built once per
// set of positions (not per view), and a walk along the pointer's ray through it. Only the points
// of the cells the ray's cone passes through are projected, so a pick at 1,000,000 points costs
// well under a millisecond whatever the camera did just before; the id buffer (id-buffer.ts)
// answers only while a transition moves the points.

/** Column-major 4×4 (three's Matrix4.elements). */
type Matrix = ArrayLike<number>

export class PointGrid {
  private readonly min: [number, number, number] = [0, 0, 0]
  private readonly size: number
  private readonly side: number
  /** cellStart[c]…cellStart[c + 1] index `order`: the points of cell c */
  private readonly cellStart: Int32Array
  private readonly order: Int32Array

  constructor(readonly positions: Float32Array) {
    const n = Math.floor(positions.length / 3)
    const max = [-Infinity, -Infinity, -Infinity]
    this.min.fill(Infinity)
    for (let i = 0; i < n; i++)
      for (let k = 0; k < 3; k++) {
        const v = positions[i * 3 + k]
        if (v < this.min[k]) this.min[k] = v
        if (v > max[k]) max[k] = v
      }
    const extent = Math.max(max[0] - this.min[0], max[1] - this.min[1], max[2] - this.min[2], 1e-9)
    // about 4 points a cell on average, at most 128 cells a side
    this.side = Math.max(1, Math.min(128, Math.round(Math.cbrt(n / 4))))
    this.size = (extent * (1 + 1e-6)) / this.side
    const cells = this.side ** 3
    const cellOf = new Int32Array(n)
    const counts = new Int32Array(cells + 1)
    for (let i = 0; i < n; i++) {
      const c = this.cellIndex(positions[i * 3], positions[i * 3 + 1], positions[i * 3 + 2])
      cellOf[i] = c
      counts[c + 1]++
    }
    for (let c = 0; c < cells; c++) counts[c + 1] += counts[c]
    this.cellStart = counts
    this.order = new Int32Array(n)
    const fill = counts.slice(0, cells)
    for (let i = 0; i < n; i++) this.order[fill[cellOf[i]]++] = i
  }

  private axisCell(v: number, k: number): number {
    return Math.min(this.side - 1, Math.max(0, Math.floor((v - this.min[k]) / this.size)))
  }

  private cellIndex(x: number, y: number, z: number): number {
    return (this.axisCell(z, 2) * this.side + this.axisCell(y, 1)) * this.side + this.axisCell(x, 0)
  }

  /**
   * The visible point nearest to (x, y) on the screen within `radius` CSS pixels (the front one
   * on a tie), or -1. `inverse` is the inverse of `viewProjection`.
   */
  pick(
    x: number,
    y: number,
    radius: number,
    view: { viewProjection: Matrix; inverse: Matrix; width: number; height: number },
    visible?: (index: number) => boolean,
  ): number {
    const { viewProjection: m, inverse, width, height } = view
    const ndcX = (x / width) * 2 - 1
    const ndcY = 1 - (y / height) * 2
    const dx = (radius / width) * 2
    // the pointer's ray from the near to the far plane, and how wide `radius` is at each end
    const near = unproject(inverse, ndcX, ndcY, -1)
    const far = unproject(inverse, ndcX, ndcY, 1)
    const nearR = distance(near, unproject(inverse, ndcX + dx, ndcY, -1))
    const farR = distance(far, unproject(inverse, ndcX + dx, ndcY, 1))
    const clipped = this.clip(near, far, Math.max(nearR, farR))
    if (!clipped) return -1
    const [s0, s1] = clipped
    const length = distance(near, far)
    const step = this.size / 2
    const steps = Math.ceil(((s1 - s0) * length) / step) + 1
    const seen = new Set<number>()
    let best = -1
    let bestD2 = radius * radius
    let bestDepth = Infinity
    for (let t = 0; t <= steps; t++) {
      const s = s0 + ((s1 - s0) * t) / steps
      const p = [0, 1, 2].map((k) => near[k] + (far[k] - near[k]) * s)
      const reach = nearR + (farR - nearR) * s + this.size
      const lo = [0, 1, 2].map((k) => this.axisCell(p[k] - reach, k))
      const hi = [0, 1, 2].map((k) => this.axisCell(p[k] + reach, k))
      for (let cz = lo[2]; cz <= hi[2]; cz++)
        for (let cy = lo[1]; cy <= hi[1]; cy++)
          for (let cx = lo[0]; cx <= hi[0]; cx++) {
            const c = (cz * this.side + cy) * this.side + cx
            if (seen.has(c)) continue
            seen.add(c)
            for (let at = this.cellStart[c]; at < this.cellStart[c + 1]; at++) {
              const i = this.order[at]
              if (visible && !visible(i)) continue
              const px = this.positions[i * 3]
              const py = this.positions[i * 3 + 1]
              const pz = this.positions[i * 3 + 2]
              const w = m[3] * px + m[7] * py + m[11] * pz + m[15]
              if (w <= 0) continue
              const sx = ((m[0] * px + m[4] * py + m[8] * pz + m[12]) / w + 1) * (width / 2)
              const sy = (1 - (m[1] * px + m[5] * py + m[9] * pz + m[13]) / w) * (height / 2)
              const depth = (m[2] * px + m[6] * py + m[10] * pz + m[14]) / w
              if (depth < -1 || depth > 1) continue
              const d2 = (sx - x) ** 2 + (sy - y) ** 2
              if (d2 < bestD2 - 1e-9 || (Math.abs(d2 - bestD2) <= 1e-9 && depth < bestDepth)) {
                best = i
                bestD2 = d2
                bestDepth = depth
              }
            }
          }
    }
    return best
  }

  /** The part [s0, s1] of near→far within the grid's box grown by `margin`, or null. */
  private clip(near: number[], far: number[], margin: number): [number, number] | null {
    let s0 = 0
    let s1 = 1
    for (let k = 0; k < 3; k++) {
      const lo = this.min[k] - margin
      const hi = this.min[k] + this.size * this.side + margin
      const d = far[k] - near[k]
      if (Math.abs(d) < 1e-12) {
        if (near[k] < lo || near[k] > hi) return null
        continue
      }
      let a = (lo - near[k]) / d
      let b = (hi - near[k]) / d
      if (a > b) [a, b] = [b, a]
      s0 = Math.max(s0, a)
      s1 = Math.min(s1, b)
      if (s0 > s1) return null
    }
    return [s0, s1]
  }
}

function unproject(m: Matrix, x: number, y: number, z: number): number[] {
  const w = m[3] * x + m[7] * y + m[11] * z + m[15]
  return [
    (m[0] * x + m[4] * y + m[8] * z + m[12]) / w,
    (m[1] * x + m[5] * y + m[9] * z + m[13]) / w,
    (m[2] * x + m[6] * y + m[10] * z + m[14]) / w,
  ]
}

function distance(a: number[], b: number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
}
