// Exports from `studio serve` name the user's own relative paths, not the server's upload copies.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { shownPath } from '../../../../main/core/export/items'

describe('shownPath', () => {
  const uploads = join('/srv', 'workspace.sqlite.uploads')

  it("writes a path under the upload folder as the path inside the user's dropped folder", () => {
    const copy = join(uploads, '0b6c1d2e-upload', 'digits', '3', 'a.png')
    expect(shownPath(copy, uploads)).toBe('digits/3/a.png')
    expect(shownPath(copy, uploads + '/')).toBe('digits/3/a.png')
  })

  it('leaves other paths, look-alike folders and unset upload folders as they are', () => {
    expect(shownPath('/data/digits/a.png', uploads)).toBe('/data/digits/a.png')
    const lookAlike = `${uploads}-old/x/digits/a.png`
    expect(shownPath(lookAlike, uploads)).toBe(lookAlike)
    expect(shownPath(join(uploads, 'x', 'a.png'), undefined)).toBe(join(uploads, 'x', 'a.png'))
  })
})
