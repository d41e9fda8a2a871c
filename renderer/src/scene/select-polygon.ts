// Box and lasso selection: which points fall inside a polygon drawn on the screen. One pass over
// all points in JS on mouse-up, never per mouse move; the polygon itself is rasterised once.

export interface PolygonQuery {
  /** n*3 positions the scene shows at t = 1 */
  positions: Float32Array
  /** n*3 positions at t = 0, when a transition is under way */
  previous?: Float32Array | null
  transition: number
  /** column-major projection × view matrix (three's Matrix4.elements) */
  viewProjection: ArrayLike<number>
  /** the canvas size in CSS pixels */
  width: number
  height: number
  /** the polygon in CSS pixels relative to the canvas; closed implicitly */
  polygon: readonly (readonly [number, number])[]
  /** per-point category and a per-category visibility (hidden points are never selected) */
  categories?: Uint16Array | null
  categoryVisible?: (category: number) => boolean
}

/** Indices of the points whose projection lies inside the polygon, ascending. */
export function pointsInPolygon(query: PolygonQuery): Uint32Array {
  const { positions, transition: t, viewProjection, width, height, polygon } = query
  if (polygon.length < 3) return new Uint32Array(0)
  const previous = query.previous && t < 1 ? query.previous : null
  const mask = new PolygonMask(polygon, width, height)
  if (!mask.cells) return new Uint32Array(0)
  const { cells, x0, y0, columns, rows } = mask
  const hidden = hiddenTable(query)
  const categories = query.categories
  const n = Math.floor(positions.length / 3)
  const found = new Uint32Array(n)
  let count = 0
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15] =
    Array.from(viewProjection)
  const halfW = width / 2
  const halfH = height / 2
  for (let i = 0; i < n; i++) {
    if (hidden && categories && hidden[categories[i]]) continue
    const o = i * 3
    let x = positions[o]
    let y = positions[o + 1]
    let z = positions[o + 2]
    if (previous) {
      x = previous[o] + (x - previous[o]) * t
      y = previous[o + 1] + (y - previous[o + 1]) * t
      z = previous[o + 2] + (z - previous[o + 2]) * t
    }
    const w = m3 * x + m7 * y + m11 * z + m15
    if (w <= 0) continue
    const invW = 1 / w
    const cx = Math.floor(((m0 * x + m4 * y + m8 * z + m12) * invW + 1) * halfW) - x0
    if (cx < 0 || cx >= columns) continue
    const cy = Math.floor((1 - (m1 * x + m5 * y + m9 * z + m13) * invW) * halfH) - y0
    if (cy < 0 || cy >= rows) continue
    const cz = (m2 * x + m6 * y + m10 * z + m14) * invW
    if (cz < -1 || cz > 1) continue
    const cell = cells[cy * columns + cx]
    if (cell === inside) found[count++] = i
    else if (cell === edge) {
      const sx = ((m0 * x + m4 * y + m8 * z + m12) * invW + 1) * halfW
      const sy = (1 - (m1 * x + m5 * y + m9 * z + m13) * invW) * halfH
      if (mask.contains(sx, sy)) found[count++] = i
    }
  }
  return found.slice(0, count)
}

/** 1 for each hidden category, or null when none is hidden. */
function hiddenTable({ categories, categoryVisible }: PolygonQuery): Uint8Array | null {
  if (!categories || !categoryVisible) return null
  const hidden = new Uint8Array(65536)
  let any = false
  for (let c = 0; c < 65536; c++)
    if (!categoryVisible(c)) {
      hidden[c] = 1
      any = true
    }
  return any ? hidden : null
}

// mask cells: 0 outside, 1 inside, 2 near an edge
const inside = 1
const edge = 2

/**
 * The polygon rasterised once over the canvas pixels it covers: a pixel no edge passes near is
 * wholly inside or outside, so most points need one lookup; only points in edge pixels get the
 * exact test.
 */
class PolygonMask {
  readonly xs: Float64Array
  readonly ys: Float64Array
  readonly x0: number
  readonly y0: number
  readonly columns: number
  readonly rows: number
  readonly cells: Uint8Array | null = null

  constructor(polygon: readonly (readonly [number, number])[], width: number, height: number) {
    this.xs = Float64Array.from(polygon, (p) => p[0])
    this.ys = Float64Array.from(polygon, (p) => p[1])
    // points off the canvas are never selected, so the mask stops at its edges
    this.x0 = Math.max(0, Math.floor(Math.min(...this.xs)))
    this.y0 = Math.max(0, Math.floor(Math.min(...this.ys)))
    const x1 = Math.min(Math.ceil(width) - 1, Math.floor(Math.max(...this.xs)))
    const y1 = Math.min(Math.ceil(height) - 1, Math.floor(Math.max(...this.ys)))
    this.columns = x1 - this.x0 + 1
    this.rows = y1 - this.y0 + 1
    if (this.columns <= 0 || this.rows <= 0) return
    this.cells = new Uint8Array(this.columns * this.rows)
    this.fill(this.cells)
    this.markEdges(this.cells)
  }

  /** Even-odd fill sampled at pixel centres, one scanline at a time. */
  private fill(cells: Uint8Array): void {
    const { xs, ys, x0, y0, columns, rows } = this
    const crossings: number[] = []
    for (let row = 0; row < rows; row++) {
      const y = y0 + row + 0.5
      crossings.length = 0
      for (let a = 0, b = xs.length - 1; a < xs.length; b = a++)
        if (ys[a] > y !== ys[b] > y)
          crossings.push(xs[a] + ((y - ys[a]) * (xs[b] - xs[a])) / (ys[b] - ys[a]))
      crossings.sort((p, q) => p - q)
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        const from = Math.max(0, Math.ceil(crossings[k] - 0.5 - x0))
        const to = Math.min(columns - 1, Math.ceil(crossings[k + 1] - 0.5 - x0) - 1)
        if (to >= from) cells.fill(inside, row * columns + from, row * columns + to + 1)
      }
    }
  }

  /** Every pixel an edge passes through, and its neighbours, needs the exact test. */
  private markEdges(cells: Uint8Array): void {
    const { xs, ys, x0, y0, columns, rows } = this
    for (let a = 0, b = xs.length - 1; a < xs.length; b = a++) {
      const steps = Math.ceil(Math.hypot(xs[a] - xs[b], ys[a] - ys[b]) * 2) + 1
      for (let s = 0; s <= steps; s++) {
        const cx = Math.floor(xs[b] + ((xs[a] - xs[b]) * s) / steps) - x0
        const cy = Math.floor(ys[b] + ((ys[a] - ys[b]) * s) / steps) - y0
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const x = cx + dx
            const y = cy + dy
            if (x >= 0 && y >= 0 && x < columns && y < rows) cells[y * columns + x] = edge
          }
      }
    }
  }

  /** The exact even-odd test: count edges crossed by a ray to the right. */
  contains(x: number, y: number): boolean {
    const { xs, ys } = this
    let result = false
    for (let a = 0, b = xs.length - 1; a < xs.length; b = a++)
      if (ys[a] > y !== ys[b] > y && x < ((xs[b] - xs[a]) * (y - ys[a])) / (ys[b] - ys[a]) + xs[a])
        result = !result
    return result
  }
}
