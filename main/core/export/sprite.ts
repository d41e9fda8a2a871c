// The projector's sprite: every item's thumbnail in one grid image. TensorBoard loads a single
// sprite of at most 8192 px a side, so thumbnails shrink (area-averaged) until the grid fits; at
// the smallest thumbnail size, items past what fits are left out and the layout says so.
import sharp from 'sharp'

export const maxSpriteSide = 8192
export const minThumbnailSide = 8

export interface SpriteLayout {
  /** items drawn: the first `count` of the dataset */
  count: number
  /** true when the dataset has more items than the sprite could hold */
  truncated: boolean
  columns: number
  rows: number
  cellWidth: number
  cellHeight: number
  width: number
  height: number
}

/**
 * A square-ish grid of ceil(√N) columns. The thumbnail's longer side is the image's own, or
 * smaller so that ceil(√N)·side ≤ 8192, but never below 8 px (or the image's size, if smaller);
 * at that size only (8192 / side)² items fit.
 */
export function spriteLayout(items: number, imageWidth: number, imageHeight: number): SpriteLayout {
  const longest = Math.max(imageWidth, imageHeight)
  const smallest = Math.min(minThumbnailSide, longest)
  let count = items
  let side = Math.min(longest, Math.floor(maxSpriteSide / Math.max(1, ceilSqrt(count))))
  if (side < smallest) {
    side = smallest
    count = Math.min(items, Math.floor(maxSpriteSide / side) ** 2)
  }
  const columns = Math.max(1, ceilSqrt(count))
  const rows = Math.max(1, Math.ceil(count / columns))
  const cellWidth = Math.max(1, Math.round((imageWidth * side) / longest))
  const cellHeight = Math.max(1, Math.round((imageHeight * side) / longest))
  return {
    count,
    truncated: count < items,
    columns,
    rows,
    cellWidth,
    cellHeight,
    width: columns * cellWidth,
    height: rows * cellHeight,
  }
}

/** ⌈√n⌉ in integers, free of floating-point error at perfect squares. */
function ceilSqrt(n: number): number {
  let root = Math.ceil(Math.sqrt(n))
  while (root * root < n) root++
  while (root > 0 && (root - 1) * (root - 1) >= n) root--
  return root
}

export interface ImageShape {
  width: number
  height: number
  channels: 1 | 3
}

/** The grid image, filled item by item in dataset order. */
export class Sprite {
  readonly layout: SpriteLayout
  private readonly canvas: Uint8Array
  private readonly resize: Resampler | null

  constructor(
    items: number,
    private readonly image: ImageShape,
  ) {
    this.layout = spriteLayout(items, image.width, image.height)
    const { width, height, cellWidth, cellHeight } = this.layout
    this.canvas = new Uint8Array(width * height * image.channels)
    const same = cellWidth === image.width && cellHeight === image.height
    this.resize = same ? null : new Resampler(image, cellWidth, cellHeight)
  }

  /** Draws items first, first+1, … from their H·W·C pixels; those past the layout's count are left out. */
  draw(first: number, pixels: Uint8Array): void {
    const { width, height, channels } = this.image
    const size = width * height * channels
    const { count, columns, cellWidth, cellHeight } = this.layout
    const rowBytes = cellWidth * channels
    const stride = this.layout.width * channels
    const items = Math.min(pixels.length / size, count - first)
    for (let i = 0; i < items; i++) {
      const source = pixels.subarray(i * size, (i + 1) * size)
      const cell = this.resize ? this.resize.apply(source) : source
      const index = first + i
      const x = (index % columns) * cellWidth
      const y = Math.floor(index / columns) * cellHeight
      for (let r = 0; r < cellHeight; r++)
        this.canvas.set(
          cell.subarray(r * rowBytes, (r + 1) * rowBytes),
          (y + r) * stride + x * channels,
        )
    }
  }

  /** The sprite as PNG: grey for grey datasets, RGB for colour ones. */
  png(): Promise<Buffer> {
    const { width, height } = this.layout
    const { channels } = this.image
    const image = sharp(this.canvas, { raw: { width, height, channels }, limitInputPixels: false })
    // without this, libvips writes one-channel pixels as an RGB PNG
    return (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer()
  }
}

/** For each output pixel along one axis, the source pixels it covers and by how much. */
interface AxisTaps {
  /** taps of output o are at [start[o], start[o+1]) */
  start: Int32Array
  source: Int32Array
  weight: Float32Array
}

/** Area averaging from `from` pixels to `to`: each output pixel is the mean of the span it covers. */
function axisTaps(from: number, to: number): AxisTaps {
  const scale = from / to
  const start = new Int32Array(to + 1)
  const source: number[] = []
  const weight: number[] = []
  for (let o = 0; o < to; o++) {
    start[o] = source.length
    const left = o * scale
    const right = (o + 1) * scale
    for (let s = Math.floor(left); s < Math.min(from, Math.ceil(right)); s++) {
      const overlap = Math.min(right, s + 1) - Math.max(left, s)
      if (overlap <= 0) continue
      source.push(s)
      weight.push(overlap / scale)
    }
  }
  start[to] = source.length
  return { start, source: Int32Array.from(source), weight: Float32Array.from(weight) }
}

/** Resizes one H·W·C image to the sprite's cell (area averaging), columns then rows. */
export class Resampler {
  private readonly across: AxisTaps
  private readonly down: AxisTaps
  private readonly between: Float32Array
  private readonly out: Uint8Array

  constructor(
    private readonly image: ImageShape,
    private readonly width: number,
    private readonly height: number,
  ) {
    this.across = axisTaps(image.width, width)
    this.down = axisTaps(image.height, height)
    this.between = new Float32Array(image.height * width * image.channels)
    this.out = new Uint8Array(height * width * image.channels)
  }

  apply(pixels: Uint8Array): Uint8Array {
    const { channels } = this.image
    const { across, down, between, out } = this
    const inRow = this.image.width * channels
    const midRow = this.width * channels
    for (let y = 0; y < this.image.height; y++)
      for (let x = 0; x < this.width; x++)
        for (let c = 0; c < channels; c++) {
          let sum = 0
          for (let t = across.start[x]; t < across.start[x + 1]; t++)
            sum += pixels[y * inRow + across.source[t] * channels + c] * across.weight[t]
          between[y * midRow + x * channels + c] = sum
        }
    for (let y = 0; y < this.height; y++)
      for (let k = 0; k < midRow; k++) {
        let sum = 0
        for (let t = down.start[y]; t < down.start[y + 1]; t++)
          sum += between[down.source[t] * midRow + k] * down.weight[t]
        out[y * midRow + k] = Math.min(255, Math.round(sum))
      }
    return out
  }
}
