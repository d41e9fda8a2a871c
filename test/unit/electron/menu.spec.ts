import { describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { aboutPanel, menuIds, menuTemplate, type MenuActions } from '../../../main/electron/menu'

const items = (menu: MenuItemConstructorOptions) => menu.submenu as MenuItemConstructorOptions[]
const none: MenuActions = {
  importFolder: () => {},
  openWorkspace: () => {},
  checkForUpdates: () => {},
  setAutoUpdateCheck: () => {},
  about: () => {},
}
const click = (item: MenuItemConstructorOptions, checked = false) =>
  (item.click as unknown as (item: { checked: boolean }) => void)({ checked })

describe('menuTemplate', () => {
  it('has File → Import folder… on Ctrl/Cmd+O, and Quit', () => {
    let imported = 0
    const template = menuTemplate('linux', 'Autoencoder Studio', {
      ...none,
      importFolder: () => void imported++,
    })
    const file = template.find((menu) => menu.label === 'File')!
    const importItem = items(file).find((item) => item.label === 'Import folder…')!
    expect(importItem.accelerator).toBe('CmdOrCtrl+O')
    click(importItem)
    expect(imported).toBe(1)
    expect(items(file).some((item) => item.role === 'quit')).toBe(true)
  })

  it('has Edit, View with reload, devtools and zoom, and Help → About', () => {
    let about = 0
    const template = menuTemplate('win32', 'Autoencoder Studio', {
      ...none,
      about: () => void about++,
    })
    expect(template.some((menu) => menu.role === 'editMenu')).toBe(true)
    const view = items(template.find((menu) => menu.label === 'View')!).map((item) => item.role)
    expect(view).toEqual(
      expect.arrayContaining(['reload', 'toggleDevTools', 'zoomIn', 'zoomOut', 'resetZoom']),
    )
    const help = items(template.find((menu) => menu.role === 'help')!)
    click(help.find((item) => item.label === 'About Autoencoder Studio')!)
    expect(about).toBe(1)
  })

  it('has File → Open workspace… that asks to pick a workspace', () => {
    let picked = 0
    const template = menuTemplate('linux', 'Autoencoder Studio', {
      ...none,
      openWorkspace: () => void picked++,
    })
    const item = items(template.find((menu) => menu.label === 'File')!).find(
      (i) => i.id === menuIds.openWorkspace,
    )!
    expect(item.label).toBe('Open workspace…')
    expect(item.accelerator).not.toBe('CmdOrCtrl+O') // Import folder… keeps that one
    click(item)
    expect(picked).toBe(1)
  })

  it('has Help → Check for updates… and a checkbox that shows and changes the automatic check', () => {
    let checks = 0
    const switched: boolean[] = []
    const actions = {
      ...none,
      checkForUpdates: () => void checks++,
      setAutoUpdateCheck: (on: boolean) => void switched.push(on),
    }
    for (const on of [true, false]) {
      const help = items(
        menuTemplate('linux', 'A', actions, { autoUpdateCheck: on }).find(
          (m) => m.role === 'help',
        )!,
      )
      const box = help.find((item) => item.id === menuIds.autoUpdateCheck)!
      expect(box).toMatchObject({ type: 'checkbox', checked: on })
      click(box, !on) // Electron flips `checked` before it calls click
      click(help.find((item) => item.id === menuIds.checkForUpdates)!)
    }
    expect(switched).toEqual([false, true])
    expect(checks).toBe(2)
  })

  it('starts with the app menu on macOS', () => {
    const template = menuTemplate('darwin', 'Autoencoder Studio', none)
    expect(template[0].role).toBe('appMenu')
  })
})

describe('aboutPanel', () => {
  it('names the version, what the app runs on and where the licences are', () => {
    const panel = aboutPanel('Autoencoder Studio', '1.2.3', {
      electron: '45.4.1',
      chrome: '142.0',
      node: '22.20.0',
      v8: '14.2',
    })
    expect(panel.applicationVersion).toBe('1.2.3')
    expect(panel.version).toBe('Electron 45.4.1 · Chromium 142.0 · Node 22.20.0 · V8 14.2')
    expect(panel.credits).toMatch(/MIT-licensed.*LICENSES\.chromium\.html/)
  })
})
