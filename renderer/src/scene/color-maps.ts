// Colours for the scatter: a categorical palette and the viridis map, as bytes for textures and
// as CSS for legends, so the legend and the points can never disagree.
import { Color } from 'three'

/** Tableau 20 reordered so the first ten are Tableau 10: distinct for up to ten classes. */
export const categoricalPalette: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#a0cbe8',
  '#ffbe7d',
  '#ff9d9a',
  '#86bcb6',
  '#8cd17d',
  '#f1ce63',
  '#d4a6c8',
  '#fabfd2',
  '#d7b5a6',
  '#79706e',
]

/** viridis (matplotlib) sampled at 0, 0.1, …, 1; linear between stops is within a few levels. */
const viridisStops = [
  '#440154',
  '#482475',
  '#414487',
  '#355f8d',
  '#2a788e',
  '#21918c',
  '#22a884',
  '#44bf70',
  '#7ad151',
  '#bddf26',
  '#fde725',
]

/** A CSS colour as [r, g, b] bytes in sRGB (what the shader writes out unchanged). */
export function colorBytes(css: string): [number, number, number] {
  const hex = new Color(css).getHex()
  return [(hex >> 16) & 255, (hex >> 8) & 255, hex & 255]
}

/** The viridis colour map as `size` RGBA bytes. */
export function viridisBytes(size = 256): Uint8Array {
  const stops = viridisStops.map(colorBytes)
  const out = new Uint8Array(size * 4)
  for (let i = 0; i < size; i++) {
    const at = (i / (size - 1)) * (stops.length - 1)
    const lo = Math.min(Math.floor(at), stops.length - 2)
    const f = at - lo
    for (let c = 0; c < 3; c++)
      out[i * 4 + c] = Math.round(stops[lo][c] * (1 - f) + stops[lo + 1][c] * f)
    out[i * 4 + 3] = 255
  }
  return out
}

/** The same map as a CSS gradient, for a legend bar (left = min, right = max). */
export function viridisGradient(direction = 'to right'): string {
  const stops = viridisStops.map((c, i) => `${c} ${(i * 100) / (viridisStops.length - 1)}%`)
  return `linear-gradient(${direction}, ${stops.join(', ')})`
}

/** The colour category `index` gets from `palette` (cycled when there are more categories). */
export function categoryColor(index: number, palette: readonly string[] = categoricalPalette) {
  return palette[index % palette.length]
}
