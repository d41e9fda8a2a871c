// The application menu. The template is plain data built here; main/index.ts hands it to Menu.
import type { AboutPanelOptionsOptions, MenuItemConstructorOptions } from 'electron'

/** Events the menu sends to the renderer on the same channel as Studio events. */
export const menuEvents = {
  importFolder: 'menu:import-folder',
} as const

export interface MenuActions {
  /** asks the focused window to start an import (the renderer opens the folder picker) */
  importFolder(): void
  /** picks a workspace folder and opens it in place of the current one */
  openWorkspace(): void
  /** Help → Check for updates…: checks now and says what it found */
  checkForUpdates(): void
  /** the "Check for updates automatically" checkbox changed */
  setAutoUpdateCheck(enabled: boolean): void
  about(): void
}

/** Menu items looked up by id (tests, and the app's e2e tests through Menu.getMenuItemById). */
export const menuIds = {
  openWorkspace: 'open-workspace',
  checkForUpdates: 'check-for-updates',
  autoUpdateCheck: 'auto-update-check',
} as const

export function menuTemplate(
  platform: NodeJS.Platform,
  appName: string,
  actions: MenuActions,
  state: { autoUpdateCheck: boolean } = { autoUpdateCheck: true },
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const template: MenuItemConstructorOptions[] = []
  if (mac) template.push({ label: appName, role: 'appMenu' })
  template.push(
    {
      label: 'File',
      submenu: [
        {
          label: 'Import folder…',
          accelerator: 'CmdOrCtrl+O',
          click: () => actions.importFolder(),
        },
        {
          id: menuIds.openWorkspace,
          label: 'Open workspace…',
          accelerator: 'CmdOrCtrl+Shift+O',
          click: () => actions.openWorkspace(),
        },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          id: menuIds.checkForUpdates,
          label: 'Check for updates…',
          click: () => actions.checkForUpdates(),
        },
        {
          id: menuIds.autoUpdateCheck,
          label: 'Check for updates automatically',
          type: 'checkbox',
          checked: state.autoUpdateCheck,
          click: (item) => actions.setAutoUpdateCheck(item.checked),
        },
        { type: 'separator' },
        { label: `About ${appName}`, click: () => actions.about() },
      ],
    },
  )
  return template
}

/** The About box: the app's version and licence, and the versions of what it runs on. */
export function aboutPanel(
  appName: string,
  version: string,
  versions: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>,
): AboutPanelOptionsOptions {
  const runtime = [
    `Electron ${versions.electron ?? '?'}`,
    `Chromium ${versions.chrome ?? '?'}`,
    `Node ${versions.node ?? '?'}`,
    `V8 ${versions.v8 ?? '?'}`,
  ].join(' · ')
  return {
    applicationName: appName,
    applicationVersion: version,
    version: runtime,
    copyright: 'MIT licence',
    credits:
      `${runtime}. Autoencoder Studio is MIT-licensed; the licences of Electron and Chromium ` +
      'are LICENSE.electron.txt and LICENSES.chromium.html beside the app, and those of the npm ' +
      'packages are in their folders inside it. The sample is Fashion-MNIST (MIT, Zalando SE).',
  }
}
