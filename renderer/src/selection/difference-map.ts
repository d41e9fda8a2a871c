// The difference map of the record view: reconstruction − original per pixel as RGBA, on a
// diverging blue–grey–red map like the gallery's (main/core/reconstruction/decoder-errors.ts,
// differenceHeatmap): blue where the reconstruction lost brightness, red where it added some,
// light grey where it matches; the full scale is 255 levels, as the gallery's.
import type { DenoiseResult } from '@shared/reconstructions'

/** Moreland's cool-warm anchors: −1, 0, +1 */
const cool = [59, 76, 192]
const middle = [221, 221, 221]
const warm = [180, 4, 38]

export function differenceMap(images: Pick<DenoiseResult, 'originals' | 'reconstructions'>): {
  width: number
  height: number
  channels: 4
  bytes: Uint8Array
  at: 0
} {
  const { width, height, channels } = images.originals
  const a = images.originals.images
  const b = images.reconstructions.images
  const count = width * height
  const bytes = new Uint8Array(count * 4)
  for (let i = 0; i < count; i++) {
    let d = 0
    for (let c = 0; c < channels; c++) d += b[i * channels + c] - a[i * channels + c]
    const t = Math.max(-1, Math.min(1, d / channels / 255))
    const end = t < 0 ? cool : warm
    const w = Math.abs(t)
    const o = i * 4
    for (let c = 0; c < 3; c++) bytes[o + c] = Math.round(middle[c] + (end[c] - middle[c]) * w)
    bytes[o + 3] = 255
  }
  return { width, height, channels: 4, bytes, at: 0 }
}
