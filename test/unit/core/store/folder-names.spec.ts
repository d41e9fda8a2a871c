// Folder names in legends: relative to the folder an import's files share.
import { describe, expect, it } from 'vitest'
import { readableFolderNames } from '../../../../main/core/store/folder-names'

describe('readable folder names', () => {
  it('drops the part every folder shares', () => {
    expect(
      readableFolderNames([
        '/home/ana/photos/cats',
        '/home/ana/photos/dogs',
        '/home/ana/photos/cats/small',
      ]),
    ).toEqual(['cats', 'dogs', 'cats/small'])
  })

  it('names the shared folder itself, and a single folder, by their own name', () => {
    expect(readableFolderNames(['/data/photos', '/data/photos/cats'])).toEqual(['photos', 'cats'])
    expect(readableFolderNames(['/data/photos'])).toEqual(['photos'])
    expect(readableFolderNames([])).toEqual([])
  })

  it('reads Windows paths and keeps folders apart that differ early', () => {
    expect(readableFolderNames(['C:\\set\\a', 'C:\\set\\b'])).toEqual(['a', 'b'])
    expect(readableFolderNames(['/x/one/a', '/y/two/a'])).toEqual(['x/one/a', 'y/two/a'])
  })
})
