// The highlight a plot draws from the shared selection and the table's filter: a point is lit
// when it is selected (or nothing is) and the filter keeps it (or there is none). Null: nothing
// to highlight, every point drawn as usual.

/**
 * @param rows dataset positions of the points drawn, in point order; null: point i is position i
 * @param count points drawn
 */
export function selectionMask(
  count: number,
  rows: Int32Array | null,
  selected: readonly number[],
  matching: Int32Array | null,
  extra: Uint8Array | null = null,
): Uint8Array | null {
  if (!selected.length && !matching && !extra) return null
  const sel = selected.length ? new Set(selected) : null
  const match = matching ? new Set(matching) : null
  const mask = new Uint8Array(count)
  for (let i = 0; i < count; i++) {
    const position = rows ? rows[i] : i
    mask[i] =
      (!sel || sel.has(position)) && (!match || match.has(position)) && (!extra || extra[i] > 0)
        ? 1
        : 0
  }
  return mask
}
