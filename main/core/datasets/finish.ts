// The last steps of an item after sharp has resized it: alpha flattened onto the background,
// grey or RGB, and padded or cropped to size × size. On the small images datasets are made of,
// each libvips operation costs a fixed ~0.3–0.6 ms however few its pixels, about as much as
// decoding; these loops over a few thousand bytes cost microseconds.

export interface ResizedPixels {
  data: Uint8Array
  width: number
  height: number
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA */
  channels: number
}

export interface FinishOptions {
  size: number
  outputChannels: 1 | 3
  /** 0 for black, 255 for white */
  background: number
}

/**
 * Grey from RGB as ITU-R 601-2 luma, the conversion PIL's "L" mode (and so torchvision's
 * Grayscale) uses: what most datasets' grey images were made with.
 */
export function luma(r: number, g: number, b: number): number {
  return (r * 299 + g * 587 + b * 114) / 1000
}

/**
 * Centres `input` on a size × size canvas of the background colour: padding when it is
 * smaller (fit 'pad' resized it inside), cropping the centre when it is larger (fit 'crop').
 *
 * Flattening after resizing gives the same result as before: sharp resamples RGBA
 * premultiplied and hands back unpremultiplied values, and compositing is linear.
 */
export function finishItem(input: ResizedPixels, options: FinishOptions): Uint8Array {
  const { data, width, height, channels } = input
  const { size, outputChannels, background } = options
  const output = new Uint8Array(size * size * outputChannels).fill(background)
  const hasAlpha = channels === 2 || channels === 4
  const isColour = channels >= 3
  const left = Math.floor((width - size) / 2)
  const top = Math.floor((height - size) / 2)
  for (let y = 0; y < size; y++) {
    const sy = y + top
    if (sy < 0 || sy >= height) continue
    for (let x = 0; x < size; x++) {
      const sx = x + left
      if (sx < 0 || sx >= width) continue
      const i = (sy * width + sx) * channels
      let r = data[i]
      let g = isColour ? data[i + 1] : r
      let b = isColour ? data[i + 2] : r
      if (hasAlpha) {
        const alpha = data[i + channels - 1]
        const rest = (255 - alpha) * background
        r = (r * alpha + rest) / 255
        g = (g * alpha + rest) / 255
        b = (b * alpha + rest) / 255
      }
      const o = (y * size + x) * outputChannels
      if (outputChannels === 1) output[o] = Math.round(isColour ? luma(r, g, b) : r)
      else {
        output[o] = Math.round(r)
        output[o + 1] = Math.round(g)
        output[o + 2] = Math.round(b)
      }
    }
  }
  return output
}
