import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scanPaths } from '../../../../main/core/datasets/scan'
import { StudioError } from '../../../../main/core/errors'
import { writeText } from '../../../fixtures/images'
import { tempDir } from '../../../helpers/temp'

describe('scanPaths', () => {
  it('labels files by the first-level folder under the dropped folder, in path order', async () => {
    const dir = tempDir()
    for (const name of ['b.png', 'a.png', 'dogs/x.jpg', 'cats/deep/er/y.png', 'cats/z.png'])
      writeText(dir, name)
    const { files } = await scanPaths([dir])
    expect(files.map((f) => [f.path.slice(dir.length + 1), f.label])).toEqual([
      ['a.png', null],
      ['b.png', null],
      ['cats/deep/er/y.png', 'cats'],
      ['cats/z.png', 'cats'],
      ['dogs/x.jpg', 'dogs'],
    ])
  })

  it('gives a file dropped on its own no label, even inside a labelled-looking folder', async () => {
    const dir = tempDir()
    const path = writeText(dir, 'cats/a.png')
    const { files, roots } = await scanPaths([path])
    expect(files).toMatchObject([{ path, label: null, kind: 'image' }])
    expect(roots).toEqual([{ path, isFolder: false }])
  })

  it('ignores hidden files and folders, Thumbs.db and desktop.ini, silently', async () => {
    const dir = tempDir()
    for (const name of [
      '.DS_Store',
      'Thumbs.db',
      'desktop.ini',
      '.git/x.png',
      '__MACOSX/a/._b.png',
      'kept.png',
    ])
      writeText(dir, name)
    const { files } = await scanPaths([dir])
    expect(files.map((f) => f.path)).toEqual([join(dir, 'kept.png')])
  })

  it('keeps names with spaces, accents and emoji, labels included', async () => {
    const dir = tempDir()
    const path = writeText(dir, 'crème brûlée/photo 😀 n°1.png')
    const { files } = await scanPaths([dir])
    expect(files).toMatchObject([{ path, label: 'crème brûlée' }])
  })

  it('follows symlinks but stops at a loop', async () => {
    const dir = tempDir()
    writeText(dir, 'cats/a.png')
    symlinkSync('..', join(dir, 'cats', 'up')) // cats/up → dir: a loop
    symlinkSync(join(dir, 'cats'), join(dir, 'same-cats')) // another way into cats
    const self = join(dir, 'self')
    symlinkSync(self, self) // points at itself
    const outside = tempDir()
    writeText(outside, 'b.png')
    symlinkSync(outside, join(dir, 'linked'))
    const { files } = await scanPaths([dir])
    const found = files.map((f) => [f.path.slice(dir.length + 1), f.label, f.kind])
    expect(found).toEqual([
      ['cats/a.png', 'cats', 'image'],
      ['linked/b.png', 'linked', 'image'],
      ['self', null, 'unreadable'],
    ])
  })

  it('classifies by extension, and by content when there is none', async () => {
    const dir = tempDir()
    writeText(dir, 'notes.txt')
    writeText(dir, 'a.JPG')
    writeText(dir, 'arr.npy')
    writeText(dir, 'train-images-idx3-ubyte.gz')
    writeText(dir, 'noext')
    writeFileSync(join(dir, 'png-without-extension'), Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))
    const { files } = await scanPaths([dir])
    expect(Object.fromEntries(files.map((f) => [f.path.slice(dir.length + 1), f.kind]))).toEqual({
      'a.JPG': 'image',
      'arr.npy': 'npy',
      noext: 'other',
      'notes.txt': 'other',
      'png-without-extension': 'image',
      'train-images-idx3-ubyte.gz': 'idx',
    })
  })

  it('throws not-found for a path that does not exist', async () => {
    const dir = tempDir()
    const missing = join(dir, 'gone')
    const error = await scanPaths([dir, missing]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StudioError)
    expect(error).toMatchObject({
      code: 'not-found',
      message: `${missing} does not exist: it may have been moved or deleted.`,
    })
  })

  it('stops with cancelled when the signal is aborted', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'a'))
    const controller = new AbortController()
    controller.abort()
    await expect(scanPaths([dir], undefined, controller.signal)).rejects.toMatchObject({
      code: 'cancelled',
    })
  })
})
