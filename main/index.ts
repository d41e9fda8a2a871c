// Electron entry: the only file that imports Electron's modules; main/electron/* receive them.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  screen,
  shell,
  utilityProcess,
} from 'electron'
import { uiPaths } from './core/layout'
import { appName } from './core/paths'
import { Studio } from './core/service'
import { broadcast, registerIpc } from './electron/ipc'
import { aboutPanel, menuEvents, menuTemplate } from './electron/menu'
import { registerAppScheme, serveRenderer } from './electron/protocol'
import { utilitySpawner } from './electron/utility-spawner'
import { createMainWindow } from './electron/window'
import { readWindowState, windowStateFile, writeWindowState } from './electron/window-state'

// The folder holding package.json and out/: the project root in development, the asar when packaged.
const appRoot = app.getAppPath()
const ui = uiPaths(appRoot)
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL

registerAppScheme(protocol)

/** better-sqlite3 built for Electron by main/scripts/native-electron.js, when present. */
function electronSqliteBinding(): string | undefined {
  const file = join(appRoot, '.native-electron', 'better_sqlite3.node')
  return existsSync(file) ? file : undefined
}

function openStudio(): Studio {
  return new Studio({
    workspaceFile: join(app.getPath('userData'), 'workspace.sqlite'),
    resourcesDir: app.isPackaged ? process.resourcesPath : join(appRoot, 'resources'),
    shell: 'electron',
    version: app.getVersion(),
    nativeBinding: electronSqliteBinding(),
    // utility processes, not fork: the packaged app turns ELECTRON_RUN_AS_NODE off (its fuses)
    spawner: utilitySpawner((path, args, options) => utilityProcess.fork(path, args, options)),
  })
}

function start(): void {
  let studio: Studio | undefined
  let mainWindow: BrowserWindow | undefined

  const openWindow = () => {
    const stateFile = windowStateFile(app.getPath('userData'))
    const displays = screen.getAllDisplays().map((display) => display.workArea)
    mainWindow = createMainWindow(
      { BrowserWindow, shell },
      {
        preload: ui.preload,
        devUrl,
        title: appName,
        state: readWindowState(stateFile, displays),
        onClose: (state) => {
          try {
            writeWindowState(stateFile, state)
          } catch {
            // a read-only profile: the next launch opens at the default size
          }
        },
      },
    )
    mainWindow.on('closed', () => (mainWindow = undefined))
  }

  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => {
    studio?.close()
    studio = undefined
  })

  void app.whenReady().then(() => {
    try {
      studio = openStudio()
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      const hint = /NODE_MODULE_VERSION|better_sqlite3|invalid ELF|not a valid Win32/.test(detail)
        ? '\n\nThe SQLite module is not built for Electron. Run: node main/scripts/native-electron.js --force'
        : ''
      dialog.showErrorBox(`${appName} could not open its workspace`, detail + hint)
      app.exit(1)
      return
    }
    serveRenderer(protocol, ui.renderer)
    registerIpc({
      ipcMain,
      dialog,
      studio,
      windows: () => BrowserWindow.getAllWindows(),
      devUrl,
    })
    app.setAboutPanelOptions(aboutPanel(appName, app.getVersion(), process.versions))
    const menu = menuTemplate(process.platform, appName, {
      importFolder: () => {
        const target = BrowserWindow.getFocusedWindow() ?? mainWindow
        if (target) broadcast([target], menuEvents.importFolder, null)
      },
      about: () => app.showAboutPanel(),
    })
    Menu.setApplicationMenu(Menu.buildFromTemplate(menu))
    openWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
  })
}

if (app.requestSingleInstanceLock()) start()
else app.quit()
