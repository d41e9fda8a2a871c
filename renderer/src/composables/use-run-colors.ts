// Line colours for loss charts: distinct from each other and readable on the light and dark themes.
export const runColors = [
  '#4c6ef5',
  '#f76707',
  '#12b886',
  '#e64980',
  '#7950f2',
  '#d4a10a',
  '#15aabf',
  '#74b816',
] as const

export const trainColor = runColors[0]
export const validationColor = runColors[1]

/** The colour of the i-th curve, cycling. */
export function colorAt(index: number): string {
  return runColors[index % runColors.length]
}

/** A #rrggbb colour at partial opacity (#rrggbbaa, which canvas strokes understand). */
export function faded(color: string, alpha: number): string {
  const byte = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
  return `${color}${byte.toString(16).padStart(2, '0')}`
}
