// Per-image reconstruction error turned into what the gallery and the outlier view show: an order
// (worst first = anomalies), a histogram, a threshold's outliers, and a difference heatmap per
// image. Plain typed-array code: no tensors, nothing to dispose.

export interface ErrorOrderOptions {
  /** largest error first (the anomalies), else smallest first */
  worstFirst: boolean
  /** only these positions, e.g. one label or one cluster */
  filter?: Int32Array
}

/**
 * Positions sorted by error. Ties keep position order and NaN errors come last, so the same
 * errors always give the same gallery.
 */
export function errorOrder(errors: Float32Array, options: ErrorOrderOptions): Int32Array {
  const order = options.filter
    ? Int32Array.from(options.filter)
    : Int32Array.from({ length: errors.length }, (_, i) => i)
  const sign = options.worstFirst ? -1 : 1
  return order.sort((a, b) => {
    const ea = errors[a]
    const eb = errors[b]
    if (ea === eb) return a - b
    const aMissing = Number.isNaN(ea)
    const bMissing = Number.isNaN(eb)
    if (aMissing || bMissing) return aMissing && bMissing ? a - b : aMissing ? 1 : -1
    return sign * (ea - eb)
  })
}

export interface Histogram {
  /** bins + 1 edges; bin i is [edges[i], edges[i+1]), the last one closed */
  edges: Float64Array
  counts: Int32Array
}

/**
 * Counts of errors in `bins` equal bins over `range` (default: the finite errors' min to max).
 * Errors outside the range and NaN are not counted, as numpy.histogram does.
 */
export function errorHistogram(
  errors: Float32Array,
  bins: number,
  range?: [number, number],
): Histogram {
  let [lo, hi] = range ?? [Infinity, -Infinity]
  if (!range)
    for (const e of errors)
      if (Number.isFinite(e)) {
        if (e < lo) lo = e
        if (e > hi) hi = e
      }
  if (lo > hi) [lo, hi] = [0, 1] // no finite error at all
  if (lo === hi) hi = lo + (Math.abs(lo) || 1) // one value: a bin that holds it
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) =>
    i === bins ? hi : lo + ((hi - lo) * i) / bins,
  )
  const counts = new Int32Array(bins)
  const perUnit = bins / (hi - lo)
  for (const e of errors) {
    if (!(e >= lo && e <= hi)) continue
    let bin = Math.min(bins - 1, Math.floor((e - lo) * perUnit))
    // the edges are what the user reads: settle rounding against them
    while (bin > 0 && e < edges[bin]) bin--
    while (bin < bins - 1 && e >= edges[bin + 1]) bin++
    counts[bin]++
  }
  return { edges, counts }
}

/**
 * Positions whose error is strictly above the threshold, in dataset order. The threshold is
 * compared at the errors' float32 precision, so 0.1 typed by a user does not catch an error
 * stored as float32(0.1), which is slightly larger than the double 0.1.
 */
export function aboveThreshold(errors: Float32Array, threshold: number): Int32Array {
  const limit = Math.fround(threshold)
  let count = 0
  for (const e of errors) if (e > limit) count++
  const positions = new Int32Array(count)
  let at = 0
  for (let i = 0; i < errors.length; i++) if (errors[i] > limit) positions[at++] = i
  return positions
}

type Rgb = [number, number, number]

/** `size` colours by linear interpolation between evenly spaced anchors. */
function colourTable(anchors: Rgb[], size: number): Uint8Array {
  const table = new Uint8Array(size * 3)
  for (let i = 0; i < size; i++) {
    const at = (i / (size - 1)) * (anchors.length - 1)
    const k = Math.min(Math.floor(at), anchors.length - 2)
    const t = at - k
    for (let c = 0; c < 3; c++)
      table[i * 3 + c] = Math.round(anchors[k][c] + t * (anchors[k + 1][c] - anchors[k][c]))
  }
  return table
}

/**
 * Moreland's smooth cool-warm diverging map ("Diverging Color Maps for Scientific
 * Visualization", 2009; matplotlib's coolwarm), every other stop of his 33-stop table: lightness
 * falls evenly on both sides of a neutral grey, so the sign reads as hue and the size as depth.
 */
const coolWarm = colourTable(
  [
    [59, 76, 192],
    [77, 104, 215],
    [98, 130, 234],
    [119, 154, 247],
    [141, 176, 254],
    [163, 194, 255],
    [184, 208, 249],
    [204, 217, 238],
    [221, 221, 221],
    [236, 211, 197],
    [245, 196, 173],
    [247, 177, 148],
    [244, 154, 123],
    [236, 127, 99],
    [222, 96, 77],
    [203, 62, 56],
    [180, 4, 38],
  ],
  255, // odd, so that a zero difference lands on the neutral grey itself
)

/** matplotlib's inferno, every 16th of its 256 colours: perceptually uniform and sequential. */
const inferno = colourTable(
  [
    [0, 0, 4],
    [11, 7, 36],
    [33, 12, 74],
    [61, 9, 101],
    [87, 16, 110],
    [113, 25, 110],
    [138, 34, 106],
    [163, 44, 97],
    [188, 55, 84],
    [208, 69, 69],
    [227, 89, 51],
    [241, 113, 31],
    [249, 140, 10],
    [252, 170, 15],
    [249, 201, 50],
    [242, 232, 101],
    [252, 255, 164],
  ],
  256,
)

export interface HeatmapOptions {
  /**
   * 'signed' (default): reconstruction − original on the cool-warm diverging map, red where the
   * reconstruction is brighter (added), blue where darker (lost), grey where equal.
   * 'absolute': |reconstruction − original| on inferno, black where equal.
   */
  map?: 'signed' | 'absolute'
  /**
   * the difference, in pixel levels, that reaches the end of the map (default 255). A fixed
   * scale keeps heatmaps comparable across a gallery; a smaller one shows faint errors.
   */
  scale?: number
}

/**
 * Where one image's reconstruction differs from it, as RGBA (width·height·4 bytes), the
 * difference averaged over channels. Inputs: one image each, H·W·C bytes.
 */
export function differenceHeatmap(
  original: Uint8Array,
  reconstruction: Uint8Array,
  width: number,
  height: number,
  channels: number,
  options: HeatmapOptions = {},
): Uint8Array {
  const signed = (options.map ?? 'signed') === 'signed'
  const table = signed ? coolWarm : inferno
  const scale = options.scale ?? 255
  // difference → table index: signed maps [−scale, scale] to [0, 254], absolute [0, scale] to [0, 255]
  const last = table.length / 3 - 1
  const gain = (signed ? last / 2 : last) / (scale * channels)
  const offset = signed ? last / 2 : 0
  const rgba = new Uint8Array(width * height * 4)
  for (let p = 0; p < width * height; p++) {
    let sum = 0
    for (let c = 0; c < channels; c++)
      sum += reconstruction[p * channels + c] - original[p * channels + c]
    const at = Math.round(offset + (signed ? sum : Math.abs(sum)) * gain)
    const index = at < 0 ? 0 : at > last ? last : at
    rgba[p * 4] = table[index * 3]
    rgba[p * 4 + 1] = table[index * 3 + 1]
    rgba[p * 4 + 2] = table[index * 3 + 2]
    rgba[p * 4 + 3] = 255
  }
  return rgba
}
