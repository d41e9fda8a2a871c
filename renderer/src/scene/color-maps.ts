// Colours for the scatter: a categorical palette and the viridis map, as bytes for textures and
// as CSS for legends, so the legend and the points can never disagree.
import { Color } from 'three'

/** Tableau 10: distinct for up to ten classes. */
const tableau10 = [
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
]

/**
 * Tableau 10, then hues a golden angle apart at several saturations and lightnesses, each kept
 * only if it is far from every colour before it (sRGB distance over 40 of 441): past ten
 * classes no colour repeats, nor comes back as a paler twin as Tableau 20's second ten did.
 * About 70 colours; categories past them cycle.
 */
export const categoricalPalette: readonly string[] = distinctColors(tableau10, 40)

function distinctColors(start: string[], apart: number): string[] {
  const kept = [...start]
  const bytes = start.map(colorBytes)
  for (let i = 0; i < 20_000; i++) {
    const hue = (i * 137.508 + 20) % 360
    const color = hslHex(
      hue,
      [0.62, 0.5, 0.75][Math.floor(i / 3) % 3],
      [0.42, 0.6, 0.75, 0.3][i % 4],
    )
    const rgb = colorBytes(color)
    const near = bytes.some((b) => Math.hypot(b[0] - rgb[0], b[1] - rgb[1], b[2] - rgb[2]) <= apart)
    if (near) continue
    kept.push(color)
    bytes.push(rgb)
  }
  return kept
}

/** An sRGB colour from hue (degrees), saturation and lightness (0–1), as #rrggbb. */
function hslHex(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness)
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12
    const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0')
  }
  return `#${channel(0)}${channel(8)}${channel(4)}`
}

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
