import { describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { aboutPanel, menuTemplate } from '../../../main/electron/menu'

const items = (menu: MenuItemConstructorOptions) => menu.submenu as MenuItemConstructorOptions[]

describe('menuTemplate', () => {
  it('has File → Import folder… on Ctrl/Cmd+O, and Quit', () => {
    let imported = 0
    const template = menuTemplate('linux', 'Autoencoder Studio', {
      importFolder: () => void imported++,
      about: () => {},
    })
    const file = template.find((menu) => menu.label === 'File')!
    const importItem = items(file).find((item) => item.label === 'Import folder…')!
    expect(importItem.accelerator).toBe('CmdOrCtrl+O')
    ;(importItem.click as () => void)()
    expect(imported).toBe(1)
    expect(items(file).some((item) => item.role === 'quit')).toBe(true)
  })

  it('has Edit, View with reload, devtools and zoom, and Help → About', () => {
    let about = 0
    const template = menuTemplate('win32', 'Autoencoder Studio', {
      importFolder: () => {},
      about: () => void about++,
    })
    expect(template.some((menu) => menu.role === 'editMenu')).toBe(true)
    const view = items(template.find((menu) => menu.label === 'View')!).map((item) => item.role)
    expect(view).toEqual(
      expect.arrayContaining(['reload', 'toggleDevTools', 'zoomIn', 'zoomOut', 'resetZoom']),
    )
    const help = items(template.find((menu) => menu.role === 'help')!)
    ;(help[0].click as () => void)()
    expect(about).toBe(1)
  })

  it('starts with the app menu on macOS', () => {
    const template = menuTemplate('darwin', 'Autoencoder Studio', {
      importFolder: () => {},
      about: () => {},
    })
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
