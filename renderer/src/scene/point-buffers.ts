// The scatter's per-point arrays as GPU attributes of one BufferGeometry. Values that change at
// the same point count are uploaded in place into the buffers that exist; only a new count (or an
// array appearing or going away) builds a new geometry and frees the old one's buffers.
import { BufferAttribute, BufferGeometry, type TypedArray } from 'three'

export interface PointArrays {
  positions: Float32Array
  previous: Float32Array
  categories: Uint16Array
  values: Float32Array
  sizes: Float32Array
  highlight: Uint8Array
}
export type ArrayKey = keyof PointArrays

const attributeOf: Record<ArrayKey, { name: string; itemSize: number }> = {
  positions: { name: 'position', itemSize: 3 },
  previous: { name: 'previous', itemSize: 3 },
  categories: { name: 'category', itemSize: 1 },
  values: { name: 'value', itemSize: 1 },
  sizes: { name: 'scale', itemSize: 1 },
  highlight: { name: 'highlight', itemSize: 1 },
}
export const arrayKeys = Object.keys(attributeOf) as ArrayKey[]

export class PointBuffers {
  geometry = new BufferGeometry()
  count = 0
  private arrays: { [K in ArrayKey]?: PointArrays[K] | null } = {}

  /** `onGeometry` hears of each new geometry (the Points object must draw it). */
  constructor(private readonly onGeometry: (geometry: BufferGeometry) => void) {}

  get<K extends ArrayKey>(key: K): PointArrays[K] | null {
    return this.arrays[key] ?? null
  }

  /** Whether the geometry holds a buffer for this array (a cleared highlight keeps its buffer). */
  hasBuffer(key: ArrayKey): boolean {
    return Boolean(this.geometry.getAttribute(attributeOf[key].name))
  }

  /** Takes the given arrays (kept, not copied; null drops one); the rest stay. */
  set(changes: { [K in ArrayKey]?: PointArrays[K] | null }): void {
    const keys = arrayKeys.filter((key) => changes[key] !== undefined)
    if (!keys.length) return
    const positions = changes.positions ?? this.arrays.positions
    const count = positions ? Math.floor(positions.length / 3) : 0
    for (const key of keys) {
      const array = changes[key]
      const expected = count * attributeOf[key].itemSize
      if (array && array.length !== expected)
        throw new Error(`scatter: ${key} has ${array.length} numbers, ${expected} expected`)
    }
    if (count !== this.count) {
      // a new point count: arrays of the old count are dropped, every buffer is sized anew
      for (const key of arrayKeys) if (!keys.includes(key)) this.arrays[key] = null
      Object.assign(this.arrays, changes)
      this.count = count
      return this.rebuild()
    }
    const shown = this.arrays.positions
    // the usual step while training: the shown positions become the previous ones; swap the two
    // buffers instead of uploading the old positions again
    const shift = Boolean(
      shown && changes.previous === shown && changes.positions && changes.positions !== shown,
    )
    let rebuild = false
    for (const key of keys) {
      const array = changes[key] as TypedArray | null
      this.arrays[key] = array as never
      const attribute = this.attribute(key)
      // a dropped array frees its buffer, except the highlight, which comes and goes with searches
      if (!array) rebuild ||= Boolean(attribute) && key !== 'highlight'
      else if (shift && key === 'previous') continue
      else if (!attribute || attribute.array.constructor !== array.constructor) rebuild = true
      else if (shift && key === 'positions') {
        const previous = this.attribute('previous')
        if (!previous) rebuild = true
        else {
          this.geometry.setAttribute('previous', attribute)
          this.upload(previous, array)
          this.geometry.setAttribute('position', previous)
        }
      } else this.upload(attribute, array)
    }
    if (rebuild) this.rebuild()
  }

  private attribute(key: ArrayKey): BufferAttribute | undefined {
    return this.geometry.getAttribute(attributeOf[key].name) as BufferAttribute | undefined
  }

  /** New values into an existing buffer of the same size (bufferSubData, no reallocation). */
  private upload(attribute: BufferAttribute, array: TypedArray): void {
    attribute.array = array
    attribute.needsUpdate = true
  }

  /** A new geometry holding every present array; the old one (and its GPU buffers) is freed. */
  private rebuild(): void {
    const geometry = new BufferGeometry()
    for (const key of arrayKeys) {
      const array = this.arrays[key]
      if (!array) continue
      const { name, itemSize } = attributeOf[key]
      geometry.setAttribute(name, new BufferAttribute(array, itemSize, false))
    }
    geometry.setDrawRange(0, this.count)
    this.geometry.dispose()
    this.geometry = geometry
    this.onGeometry(geometry)
  }

  dispose(): void {
    this.geometry.dispose()
  }
}
