// `v-image="{ batch, at }"` keeps a canvas showing image `at` of a batch of images held as one
// byte array: grey, RGB, or RGBA (difference heatmaps). Redraws only when the image changes.
import type { Directive } from 'vue'

export interface ImageSource {
  width: number
  height: number
  /** 4: RGBA as is */
  channels: 1 | 3 | 4
  bytes: Uint8Array
  at: number
}

type ImageCanvas = HTMLCanvasElement & { shownBytes?: Uint8Array; shownAt?: number }

function paint(canvas: ImageCanvas, source: ImageSource | null): void {
  if (!source) {
    canvas.width = 0
    canvas.shownBytes = undefined
    return
  }
  const { width, height, channels, bytes, at } = source
  if (canvas.shownBytes === bytes && canvas.shownAt === at) return
  canvas.shownBytes = bytes
  canvas.shownAt = at
  canvas.width = width
  canvas.height = height
  const context = canvas.getContext('2d', { alpha: channels === 4, willReadFrequently: true })
  if (!context) return
  const image = new ImageData(width, height)
  const rgba = image.data
  const count = width * height
  const start = at * count * channels
  for (let i = 0, o = 0; i < count; i++, o += 4) {
    const s = start + i * channels
    if (channels === 1) rgba[o] = rgba[o + 1] = rgba[o + 2] = bytes[s]
    else {
      rgba[o] = bytes[s]
      rgba[o + 1] = bytes[s + 1]
      rgba[o + 2] = bytes[s + 2]
    }
    rgba[o + 3] = channels === 4 ? bytes[s + 3] : 255
  }
  context.putImageData(image, 0, 0)
}

export const vImage: Directive<ImageCanvas, ImageSource | null> = {
  mounted: (canvas, binding) => paint(canvas, binding.value),
  updated: (canvas, binding) => paint(canvas, binding.value),
}
