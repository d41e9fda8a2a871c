import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  changeSettings,
  chooseWorkspace,
  defaultSettings,
  readSettings,
  settingsFile,
  workspaceFolderProblem,
  writeSettings,
} from '../../../main/electron/settings'
import { tempDir } from '../../helpers/temp'

describe('the settings file', () => {
  it('reads as the defaults when it is missing, damaged or not an object', () => {
    const dir = tempDir()
    expect(readSettings(settingsFile(dir))).toEqual(defaultSettings)
    for (const text of ['{"workspace": "/a', 'null', '[1, 2]', '"text"', '']) {
      writeFileSync(settingsFile(dir), text)
      expect(readSettings(settingsFile(dir))).toEqual(defaultSettings)
    }
  })

  it('drops a value of the wrong type and keeps the others', () => {
    const file = settingsFile(tempDir())
    writeFileSync(
      file,
      JSON.stringify({ workspace: 42, checkForUpdates: false, lastUpdateCheck: 'yesterday' }),
    )
    expect(readSettings(file)).toEqual({ checkForUpdates: false })
    writeFileSync(
      file,
      JSON.stringify({ workspace: '/w', checkForUpdates: 'no', lastUpdateCheck: 5 }),
    )
    expect(readSettings(file)).toEqual({
      workspace: '/w',
      checkForUpdates: true,
      lastUpdateCheck: 5,
    })
  })

  it('gives back what it wrote, creating the folder, and changes one value at a time', () => {
    const file = join(tempDir(), 'new profile', 'settings.json')
    writeSettings(file, { workspace: '/w', checkForUpdates: false })
    expect(readSettings(file)).toEqual({ workspace: '/w', checkForUpdates: false })
    changeSettings(file, { lastUpdateCheck: 1000 })
    expect(changeSettings(file, { workspace: undefined })).toEqual({
      checkForUpdates: false,
      lastUpdateCheck: 1000,
    })
    expect(JSON.parse(readFileSync(file, 'utf8'))).not.toHaveProperty('workspace')
  })
})

describe('the workspace to open on launch', () => {
  const fallback = '/profile/workspace.sqlite'

  it('is the default one when none is remembered', () => {
    expect(chooseWorkspace({ checkForUpdates: true }, fallback)).toEqual({ file: fallback })
  })

  it("is the remembered folder's workspace.sqlite while the folder is there", () => {
    const folder = tempDir()
    expect(chooseWorkspace({ workspace: folder, checkForUpdates: true }, fallback)).toEqual({
      file: join(folder, 'workspace.sqlite'),
      folder,
    })
  })

  it('falls back to the default one, saying why, when the folder is gone or is a file', () => {
    const gone = join(tempDir(), 'unplugged')
    const choice = chooseWorkspace({ workspace: gone, checkForUpdates: true }, fallback)
    expect(choice.file).toBe(fallback)
    expect(choice.notice).toContain(`${gone} is gone`)
    expect(choice.notice).toContain('File → Open workspace…')
    const file = join(tempDir(), 'a-file')
    writeFileSync(file, '')
    expect(chooseWorkspace({ workspace: file, checkForUpdates: true }, fallback).notice).toContain(
      `${file} is not a folder`,
    )
  })

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'says a folder it may not read cannot be read',
    () => {
      const locked = join(tempDir(), 'locked')
      mkdirSync(locked)
      chmodSync(locked, 0o000)
      try {
        expect(workspaceFolderProblem(locked)).toBe(`${locked} cannot be read (no permission)`)
      } finally {
        chmodSync(locked, 0o755)
      }
    },
  )
})
