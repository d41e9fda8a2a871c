import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DesktopNotice } from '../../../main/core/contract'
import { readSettings, settingsFile, writeSettings } from '../../../main/electron/settings'
import { WorkspaceHost } from '../../../main/electron/workspaces'
import { tempDir } from '../../helpers/temp'

class FakeStudio {
  closed = false
  constructor(readonly file: string) {}
  close() {
    this.closed = true
  }
}

/** A host over fakes: `broken` files refuse to open, as a file that is not a database does. */
function setUp(remembered?: string, broken: string[] = []) {
  const profile = tempDir()
  const settings = settingsFile(profile)
  if (remembered) writeSettings(settings, { workspace: remembered, checkForUpdates: true })
  const log: string[] = []
  const notices: DesktopNotice[] = []
  const host = new WorkspaceHost<FakeStudio>({
    open: (file) => {
      if (broken.includes(file)) throw new Error('file is not a database')
      log.push(`open ${file}`)
      return new FakeStudio(file)
    },
    attach: (studio) => {
      log.push(`attach ${studio.file}`)
      return () => void log.push(`detach ${studio.file}`)
    },
    settingsFile: settings,
    defaultFile: join(profile, 'workspace.sqlite'),
    reloadWindows: () => void log.push('reload'),
    notify: (notice) => void notices.push(notice),
  })
  return { host, log, notices, settings, defaultFile: join(profile, 'workspace.sqlite') }
}

describe('the workspace the app opens on launch', () => {
  it('is the folder opened last', () => {
    const folder = tempDir()
    const { host, notices } = setUp(folder)
    expect(host.start().file).toBe(join(folder, 'workspace.sqlite'))
    expect(notices).toEqual([])
  })

  it('is the default one, with a notice, when the folder opened last is gone', () => {
    const gone = join(tempDir(), 'gone')
    const { host, notices, defaultFile } = setUp(gone)
    expect(host.start().file).toBe(defaultFile)
    expect(notices).toEqual([
      { kind: 'error', message: expect.stringContaining(`${gone} is gone`) },
    ])
  })

  it("is the default one, with the reason, when the folder's workspace cannot be opened", () => {
    const folder = tempDir()
    const damaged = join(folder, 'workspace.sqlite')
    writeFileSync(damaged, 'not a database')
    const { host, notices, defaultFile, settings } = setUp(folder, [damaged])
    expect(host.start().file).toBe(defaultFile)
    expect(notices[0].message).toMatch(/could not be opened: .*file is not a database/)
    // still remembered: a disk plugged in again opens it next time
    expect(readSettings(settings).workspace).toBe(folder)
  })

  it('throws when even the default workspace cannot be opened', () => {
    const profile = tempDir()
    const defaultFile = join(profile, 'workspace.sqlite')
    const host = new WorkspaceHost<FakeStudio>({
      open: () => {
        throw new Error('disk full')
      },
      attach: () => () => {},
      settingsFile: settingsFile(profile),
      defaultFile,
      reloadWindows: () => {},
      notify: () => {},
    })
    expect(() => host.start()).toThrow('disk full')
  })
})

describe('File → Open workspace…', () => {
  it('opens the new one, closes the old one, remembers the folder and reloads the windows', () => {
    const { host, log, settings, defaultFile } = setUp()
    const old = host.start()
    const folder = tempDir()
    const file = join(folder, 'workspace.sqlite')
    expect(host.switchTo(folder)).toBeNull()
    expect(old.closed).toBe(true)
    expect(host.current?.file).toBe(file)
    expect(log).toEqual([
      `open ${defaultFile}`,
      `attach ${defaultFile}`,
      `open ${file}`, // opened before the old one is let go
      `detach ${defaultFile}`,
      `attach ${file}`,
      'reload',
    ])
    expect(readSettings(settings).workspace).toBe(folder)
  })

  it('keeps the open workspace when the chosen one cannot be opened, and says why', () => {
    const folder = tempDir()
    const broken = join(folder, 'workspace.sqlite')
    const { host, settings } = setUp(undefined, [broken])
    const old = host.start()
    expect(host.switchTo(folder)).toMatch(/could not be opened: file is not a database/)
    expect(host.current).toBe(old)
    expect(old.closed).toBe(false)
    expect(readSettings(settings).workspace).toBeUndefined()
    expect(host.switchTo(join(folder, 'missing'))).toMatch(/is gone/)
    expect(host.current).toBe(old)
  })

  it('choosing the workspace already open changes nothing but remembers it', () => {
    const folder = tempDir()
    const { host, log, settings } = setUp(folder)
    host.start()
    const before = log.length
    expect(host.switchTo(folder)).toBeNull()
    expect(log).toHaveLength(before)
    expect(readSettings(settings).workspace).toBe(folder)
  })
})
