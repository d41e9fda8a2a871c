// Reduces decoded rows to an item's size in JavaScript, the way libvips' vips_resize (what
// sharp's resize runs) does it: an integer box shrink that leaves a factor of at least 2, then a
// Lanczos-3 reduce for the rest. The fast PNG and JPEG readers use it to skip a libvips
// pipeline, whose fixed cost (~0.6 ms) is more than decoding a small image.
import { luma, type ResizedPixels } from './finish'

export interface ReduceTarget {
  /** input pixels per output pixel, the same on both axes (sharp's `ResolveShrink`) */
  shrink: number
  width: number
  height: number
}

/**
 * The size sharp's `resize(size, size, { fit })` gives a `width`×`height` image: 'pad' fits it
 * inside the square, 'crop' covers the square (finishItem then crops the centre).
 */
export function reduceTarget(
  width: number,
  height: number,
  size: number,
  fit: 'pad' | 'crop',
): ReduceTarget {
  const shrink =
    fit === 'pad' ? Math.max(width / size, height / size) : Math.min(width / size, height / size)
  return {
    shrink,
    width: Math.max(1, Math.round(width / shrink)),
    height: Math.max(1, Math.round(height / shrink)),
  }
}

/**
 * Takes rows of 1 or 3 values per pixel (already flattened onto the background), top to
 * bottom, and gives the reduced pixels: grey as luma when `greyFromColour`. Box sums are of the
 * input channels, and luma is taken of their averages (it is linear, so that is the same).
 * Only reduces: callers leave enlarging to sharp.
 */
export class RowReducer {
  /** box sums of the current band of `box` input rows, per input channel */
  private readonly band: Float64Array
  private bandRows = 0
  private readonly boxed: Float32Array
  private boxedRows = 0
  private readonly box: number
  private readonly boxedWidth: number
  private readonly boxedHeight: number
  private readonly outChannels: 1 | 3

  constructor(
    private readonly width: number,
    height: number,
    private readonly inChannels: 1 | 3,
    private readonly greyFromColour: boolean,
    private readonly target: ReduceTarget,
  ) {
    // vips_resize's default gap of 2: box-shrink by the integer part that leaves at least 2
    this.box = Math.max(1, Math.floor(target.shrink / 2))
    this.boxedWidth = Math.ceil(width / this.box)
    this.boxedHeight = Math.ceil(height / this.box)
    this.outChannels = inChannels === 3 && !greyFromColour ? 3 : 1
    this.band = new Float64Array(this.boxedWidth * inChannels)
    this.boxed = new Float32Array(this.boxedWidth * this.boxedHeight * this.outChannels)
  }

  /** Adds the next input row: `width` × `inChannels` values from `row[start]` on. */
  addRow(row: ArrayLike<number>, start = 0): void {
    const { band, box, inChannels, width } = this
    // sums of a box's columns in locals, then one store per box: about twice as fast
    if (inChannels === 1) {
      for (let x = 0, bx = 0, i = start; x < width; bx++) {
        let sum = 0
        for (const end = Math.min(width, x + box); x < end; x++, i++) sum += row[i]
        band[bx] += sum
      }
    } else {
      for (let x = 0, o = 0, i = start; x < width; o += 3) {
        let r = 0
        let g = 0
        let b = 0
        for (const end = Math.min(width, x + box); x < end; x++, i += 3) {
          r += row[i]
          g += row[i + 1]
          b += row[i + 2]
        }
        band[o] += r
        band[o + 1] += g
        band[o + 2] += b
      }
    }
    this.bandRows++
    if (this.bandRows === box) this.closeBand()
  }

  /** The reduced pixels, once every row was added. */
  finish(): ResizedPixels {
    if (this.bandRows > 0) this.closeBand()
    const { outChannels: channels, boxedWidth, boxedHeight, target } = this
    const across = reduceAxis(this.boxed, boxedWidth, boxedHeight, channels, target.width, true)
    const down = reduceAxis(across, target.width, boxedHeight, channels, target.height, false)
    const data = new Uint8Array(down.length)
    for (let i = 0; i < down.length; i++) data[i] = Math.min(255, Math.max(0, Math.round(down[i])))
    return { data, width: target.width, height: target.height, channels }
  }

  private closeBand(): void {
    const { band, box, inChannels, width, boxedWidth, bandRows, boxed } = this
    const lastColumns = width - (boxedWidth - 1) * box
    let out = this.boxedRows * boxedWidth * this.outChannels
    for (let bx = 0; bx < boxedWidth; bx++) {
      const count = (bx === boxedWidth - 1 ? lastColumns : box) * bandRows
      const i = bx * inChannels
      if (inChannels === 1) boxed[out++] = band[i] / count
      else if (this.greyFromColour) boxed[out++] = luma(band[i], band[i + 1], band[i + 2]) / count
      else {
        boxed[out++] = band[i] / count
        boxed[out++] = band[i + 1] / count
        boxed[out++] = band[i + 2] / count
      }
    }
    band.fill(0)
    this.bandRows = 0
    this.boxedRows++
  }
}

/** Lanczos-3 weight, the kernel sharp uses by default. */
function lanczos3(x: number): number {
  if (x === 0) return 1
  if (x <= -3 || x >= 3) return 0
  const px = Math.PI * x
  return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px)
}

/**
 * Resamples along one axis (x when `acrossRows`, else y) from `inLength` to `outLength` samples,
 * each output a Lanczos-3 average over the input it covers, widened by the shrink factor.
 */
function reduceAxis(
  input: Float32Array,
  width: number,
  height: number,
  channels: number,
  outLength: number,
  acrossRows: boolean,
): Float32Array {
  const inLength = acrossRows ? width : height
  const shrink = inLength / outLength
  const support = 3 * Math.max(1, shrink)
  const scale = 1 / Math.max(1, shrink)
  const outWidth = acrossRows ? outLength : width
  const outHeight = acrossRows ? height : outLength
  const output = new Float32Array(outWidth * outHeight * channels)
  // sample stride along the axis, and across it
  const step = acrossRows ? channels : width * channels
  const lineStep = acrossRows ? width * channels : channels
  const outStep = acrossRows ? channels : outWidth * channels
  const outLineStep = acrossRows ? outWidth * channels : channels
  const lines = acrossRows ? height : width
  const weights = new Float64Array(Math.ceil(support) * 2 + 2)
  for (let o = 0; o < outLength; o++) {
    const centre = (o + 0.5) * (inLength / outLength) - 0.5
    const first = Math.max(0, Math.ceil(centre - support))
    const last = Math.min(inLength - 1, Math.floor(centre + support))
    let total = 0
    for (let i = first; i <= last; i++) total += weights[i - first] = lanczos3((i - centre) * scale)
    for (let i = first; i <= last; i++) weights[i - first] /= total
    for (let line = 0; line < lines; line++)
      for (let c = 0; c < channels; c++) {
        let sum = 0
        let at = line * lineStep + first * step + c
        for (let i = first; i <= last; i++, at += step) sum += input[at] * weights[i - first]
        output[line * outLineStep + o * outStep + c] = sum
      }
  }
  return output
}
