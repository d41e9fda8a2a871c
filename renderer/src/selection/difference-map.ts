// The difference map of the record view: reconstruction − original per pixel, as RGBA, blue
// where the reconstruction lost brightness and red where it added some (the gallery's colours).
import type { DenoiseResult } from '@shared/reconstructions'

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
    d /= channels
    const o = i * 4
    bytes[o] = d > 0 ? Math.min(255, d * 2) : 0
    bytes[o + 2] = d < 0 ? Math.min(255, -d * 2) : 0
    bytes[o + 3] = 255
  }
  return { width, height, channels: 4, bytes, at: 0 }
}
