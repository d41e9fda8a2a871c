// Draws dataset items (HWC bytes, grey or RGB) into small canvases.
import type { Directive } from 'vue'
import type { ItemPage } from '@shared/types'

// One scratch ImageData per size: putImageData copies it, so cells can share it.
const scratch = new Map<string, ImageData>()

function scratchFor(width: number, height: number): ImageData {
  const key = `${width}x${height}`
  let image = scratch.get(key)
  if (!image) {
    image = new ImageData(width, height)
    scratch.set(key, image)
  }
  return image
}

function contextOf(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  // Small canvases written once and never read back are cheaper on the CPU than as GPU textures.
  return canvas.getContext('2d', { alpha: false, willReadFrequently: true })
}

/** Paints item `at` of `page` onto `canvas` at its native size; CSS scales it up, pixelated. */
export function drawItem(canvas: HTMLCanvasElement, page: ItemPage, at: number): void {
  const { width, height, channels } = page
  if (canvas.width !== width) canvas.width = width
  if (canvas.height !== height) canvas.height = height
  const context = contextOf(canvas)
  if (!context) return
  const image = scratchFor(width, height)
  const rgba = image.data
  const count = width * height
  const start = at * count * channels
  const pixels = page.pixels
  if (channels === 1) {
    for (let i = 0, o = 0; i < count; i++, o += 4) {
      const v = pixels[start + i]
      rgba[o] = v
      rgba[o + 1] = v
      rgba[o + 2] = v
      rgba[o + 3] = 255
    }
  } else {
    for (let i = 0, s = start, o = 0; i < count; i++, s += 3, o += 4) {
      rgba[o] = pixels[s]
      rgba[o + 1] = pixels[s + 1]
      rgba[o + 2] = pixels[s + 2]
      rgba[o + 3] = 255
    }
  }
  context.putImageData(image, 0, 0)
}

export interface ThumbnailSource {
  /** null while the item's page loads */
  page: ItemPage | null
  at: number
}

type ThumbnailCanvas = HTMLCanvasElement & { shown?: ItemPage | null; shownAt?: number }

function paint(canvas: ThumbnailCanvas, { page, at }: ThumbnailSource): void {
  if (canvas.shown === page && canvas.shownAt === at) return
  canvas.shown = page
  canvas.shownAt = at
  if (page && at < page.ids.length) drawItem(canvas, page, at)
  else canvas.width = 0 // empties it; the cell's background shows while the page loads
}

/**
 * `v-thumbnail="{ page, at }"` keeps a canvas showing one item. The grid reuses canvases as it
 * scrolls, so this redraws only when the item changes.
 */
export const vThumbnail: Directive<ThumbnailCanvas, ThumbnailSource> = {
  mounted: (canvas, binding) => paint(canvas, binding.value),
  updated: (canvas, binding) => paint(canvas, binding.value),
}
