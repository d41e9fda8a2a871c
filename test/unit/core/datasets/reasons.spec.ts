import { describe, expect, it } from 'vitest'
import { decodeReason, SkipFile, tooManyPixelsReason } from '../../../../main/core/datasets/reasons'

describe('reasons', () => {
  it('turns libvips messages into reasons a user understands', () => {
    const reason = (message: string, ext = '.png') => decodeReason(new Error(message), ext)
    expect(reason('Input buffer contains unsupported image format')).toBe(
      'not an image: the content is not a format we can read (named .png)',
    )
    expect(reason('Input buffer contains unsupported image format', '')).toBe(
      'not an image: the content is not a format we can read (no extension)',
    )
    for (const message of [
      'Input buffer has corrupt header: VipsJpeg: premature end of JPEG image',
      'pngload_buffer: libpng read error',
      'Warning treated as error due to failOn setting',
      'gifload: truncated GIF',
      'unexpected end of file',
    ])
      expect(reason(message)).toBe('the file is truncated or damaged')
    expect(reason('heif: Unsupported feature', '.HEIC')).toMatch(/^HEIC photos cannot be read here/)
    expect(reason('something new\nsecond line')).toBe(
      'the image could not be decoded (something new)',
    )
    expect(decodeReason(new SkipFile('the file is empty'), '.png')).toBe('the file is empty')
    expect(decodeReason(Object.assign(new Error('x'), { code: 'EACCES' }), '.png')).toBe(
      'permission denied',
    )
  })

  it('states the pixel limit in megapixels, or in pixels below one', () => {
    expect(tooManyPixelsReason(60_000, 60_000, 100_000_000)).toBe(
      'image is 60000×60000 pixels, above the 100-megapixel limit',
    )
    expect(tooManyPixelsReason(3000, 1000, 2_500_000)).toBe(
      'image is 3000×1000 pixels, above the 2.5-megapixel limit',
    )
    expect(tooManyPixelsReason(20, 20, 399)).toBe(
      'image is 20×20 pixels, above the 399-pixel limit',
    )
  })
})
