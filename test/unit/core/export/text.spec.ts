import { describe, expect, it } from 'vitest'
import { csvField, formatFloat32, jsonFloat32, tsvField } from '../../../../main/core/export/text'

describe('formatFloat32', () => {
  it('writes the shortest decimal that reads back as the same float32', () => {
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1')
    expect(formatFloat32(0.5)).toBe('0.5')
    expect(formatFloat32(-3)).toBe('-3')
    expect(formatFloat32(Math.fround(1e-7))).toBe('1e-7')
    expect(formatFloat32(Math.fround(123456.789))).toBe('123456.79')
  })

  it('round-trips every value exactly, across magnitudes', () => {
    const values = new Float32Array(20_000)
    const bits = new Uint32Array(values.buffer)
    let state = 12345
    for (let i = 0; i < bits.length; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0
      bits[i] = state
    }
    for (const value of values) {
      if (!Number.isFinite(value)) continue
      const text = formatFloat32(value)
      expect(Math.fround(Number(text))).toBe(value)
      const significant = text.replace(/^-|e.*$|\./g, '').replace(/^0+|0+$/g, '')
      expect(significant.length).toBeLessThanOrEqual(9)
    }
  })

  it('spells non-finite values for text and as null for JSON', () => {
    expect(formatFloat32(NaN)).toBe('NaN')
    expect(formatFloat32(-Infinity)).toBe('-Infinity')
    expect(jsonFloat32(NaN)).toBe('null')
    expect(jsonFloat32(Math.fround(0.25))).toBe('0.25')
  })
})

describe('csvField', () => {
  it('quotes fields with commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvField('plain/path.png')).toBe('plain/path.png')
    expect(csvField('a,b.png')).toBe('"a,b.png"')
    expect(csvField('say "hi".png')).toBe('"say ""hi"".png"')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('cr\rhere')).toBe('"cr\rhere"')
    expect(csvField(null)).toBe('')
  })
})

describe('tsvField', () => {
  it('turns tabs and line breaks into spaces, since TensorBoard does not unquote', () => {
    expect(tsvField('a\tb\r\nc')).toBe('a b c')
    expect(tsvField('with "quotes", commas')).toBe('with "quotes", commas')
    expect(tsvField(null)).toBe('')
  })
})
