// The files electron-builder.yml registers with each OS must be files the app then opens: a type
// the app ignored would launch it to do nothing.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isOpenableFile } from '../../../main/electron/opened-files'

interface Association {
  ext: string | string[]
  name?: string
  mimeType?: string
}
type Config = Record<'win' | 'mac' | 'linux', { fileAssociations?: Association[] }> & {
  deb: { maintainer?: string; vendor?: string }
}

// js-yaml (electron-builder's own YAML reader) ships no types; the one function used is typed here
const yaml = 'js-yaml'
const { load } = (await import(yaml)) as { load(text: string): unknown }
const config = load(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'electron-builder.yml'), 'utf8'),
) as Config
const extensionsOf = (list: Association[] = []) => list.flatMap((a) => [a.ext].flat())

describe('the file associations', () => {
  it.each(['win', 'mac', 'linux'] as const)('on %s name .npy and IDX files the app opens', (os) => {
    const extensions = extensionsOf(config[os].fileAssociations)
    expect(extensions).toEqual(expect.arrayContaining(['npy', 'idx3-ubyte', 'idx1-ubyte']))
    for (const ext of extensions) expect(isOpenableFile(`/data/file.${ext}`), ext).toBe(true)
  })

  it('are the same extensions on every OS', () => {
    const sorted = (os: 'win' | 'mac' | 'linux') => extensionsOf(config[os].fileAssociations).sort()
    expect(sorted('mac')).toEqual(sorted('win'))
    expect(sorted('linux')).toEqual(sorted('win'))
  })

  it('give Windows a ProgID without spaces, and Linux one MIME type and glob each', () => {
    for (const association of config.win.fileAssociations!)
      expect(association.name).toMatch(/^[A-Za-z]+\.[a-z]+$/)
    for (const association of config.linux.fileAssociations!) {
      expect(typeof association.ext).toBe('string') // electron-builder writes the glob *.<ext>
      expect(association.mimeType).toMatch(/^application\/x-[a-z-]+$/)
    }
  })
})

describe('the deb package', () => {
  it('names a maintainer with an address, and a vendor', () => {
    expect(config.deb.maintainer).toMatch(/^[^<>]+ <[^@\s]+@[^@\s]+\.[a-z]+>$/)
    expect(config.deb.vendor).toBeTruthy()
  })
})
