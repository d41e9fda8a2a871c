// Writing values into text exports: float32 numbers, CSV fields and TSV fields.

/**
 * The shortest decimal that reads back as the same float32, so a text export holds exactly the
 * stored codes without the noise digits of their float64 expansion ("0.1", not
 * "0.10000000149011612"). NaN and ±Infinity are written as JavaScript spells them.
 */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  // A float32 needs at most 9 significant digits; fewer than 6 are found by 6 (trailing zeros).
  for (let digits = 6; digits < 9; digits++) {
    const short = Number(value.toPrecision(digits))
    if (Math.fround(short) === value) return String(short)
  }
  return String(Number(value.toPrecision(9)))
}

/** A float32 for JSON, where NaN and Infinity do not exist. */
export function jsonFloat32(value: number): string {
  return Number.isFinite(value) ? formatFloat32(value) : 'null'
}

/** One CSV field as RFC 4180 has it: quoted when it holds a comma, a quote or a line break. */
export function csvField(text: string | null): string {
  if (text === null) return ''
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** RFC 4180 ends records with CRLF. */
export const csvLineEnd = '\r\n'

/**
 * One TSV field. TensorBoard's projector splits metadata on tabs and lines with no quoting, so
 * tabs and line breaks inside a path or label become spaces.
 */
export function tsvField(text: string | null): string {
  if (text === null) return ''
  return text.replace(/[\t\r\n]+/g, ' ')
}
