// Electron entry: the only file that imports Electron's modules; main/electron/* receive them.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  type OpenDialogOptions,
  protocol,
  screen,
  shell,
  utilityProcess,
} from 'electron'
import { uiPaths } from './core/layout'
import { appName } from './core/paths'
import { Studio } from './core/service'
import { PathGrants } from './electron/grants'
import { broadcast, registerIpc } from './electron/ipc'
import { aboutPanel, menuEvents, menuTemplate } from './electron/menu'
import { PageInbox, routeOpenRequests } from './electron/opened-files'
import { registerAppScheme, serveRenderer } from './electron/protocol'
import { changeSettings, readSettings, settingsFile } from './electron/settings'
import {
  automaticCheck,
  checkForUpdate,
  manualCheckMessage,
  updateFeedUrl,
} from './electron/updates'
import { utilitySpawner } from './electron/utility-spawner'
import { createMainWindow, isExternalUrlAllowed } from './electron/window'
import { readWindowState, windowStateFile, writeWindowState } from './electron/window-state'
import { WorkspaceHost } from './electron/workspaces'

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

function openStudio(workspaceFile: string): Studio {
  return new Studio({
    workspaceFile,
    resourcesDir: app.isPackaged ? process.resourcesPath : join(appRoot, 'resources'),
    shell: 'electron',
    version: app.getVersion(),
    nativeBinding: electronSqliteBinding(),
    // utility processes, not fork: the packaged app turns ELECTRON_RUN_AS_NODE off (its fuses)
    spawner: utilitySpawner((path, args, options) => utilityProcess.fork(path, args, options)),
  })
}

/** The release feed the update check asks: from package.json (the release workflow names the repository). */
function updateFeed(): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as object
    return updateFeedUrl(pkg, process.env)
  } catch {
    return updateFeedUrl({}, process.env)
  }
}

function start(): void {
  let mainWindow: BrowserWindow | undefined
  let ready = false
  const userData = app.getPath('userData')
  const settings = settingsFile(userData)
  const saveSettings = (change: Parameters<typeof changeSettings>[1]) => {
    try {
      changeSettings(settings, change)
    } catch {
      // a read-only profile: the choice holds until the app quits
    }
  }
  // paths the user chose (dialogs, drops, files the system opened with the app); outlive workspaces
  const grants = new PathGrants()
  // messages for the page, kept while it is not listening yet
  const inbox = new PageInbox()
  const workspaces = new WorkspaceHost<Studio>({
    open: openStudio,
    attach: (studio) =>
      registerIpc({
        ipcMain,
        dialog,
        studio,
        windows: () => BrowserWindow.getAllWindows(),
        devUrl,
        grants,
      }),
    settingsFile: settings,
    defaultFile: join(userData, 'workspace.sqlite'),
    reloadWindows: () => {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.reload()
    },
    notify: (notice) => inbox.post('desktop:notice', notice),
  })

  const openWindow = () => {
    const stateFile = windowStateFile(userData)
    const displays = screen.getAllDisplays().map((display) => display.workArea)
    const window = createMainWindow(
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
    mainWindow = window
    // the page's listeners are in place once it has loaded; a reload drops them until then
    window.webContents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) inbox.notReady(window)
    })
    window.webContents.on('did-finish-load', () => inbox.ready(window))
    window.on('closed', () => {
      inbox.notReady(window)
      if (mainWindow === window) mainWindow = undefined
    })
  }
  const showWindow = () => {
    if (!ready) return // the window opens when the app is ready
    if (!mainWindow) return openWindow()
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  }
  const dialogParent = () => BrowserWindow.getFocusedWindow() ?? mainWindow

  const pickWorkspace = async () => {
    const options: OpenDialogOptions = {
      title: 'Open a workspace',
      message: 'Choose a folder: its workspace.sqlite opens, or a new workspace starts in it.',
      buttonLabel: 'Open workspace',
      properties: ['openDirectory', 'createDirectory'],
    }
    const parent = dialogParent()
    const picked = parent
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options)
    if (picked.canceled || !picked.filePaths[0]) return
    const problem = workspaces.switchTo(picked.filePaths[0])
    if (problem)
      void dialog.showMessageBox({
        type: 'error',
        title: 'Open workspace',
        message: 'The workspace could not be opened.',
        detail: `${problem}\n\nThe workspace that was open stays open.`,
      })
  }

  const feed = updateFeed()
  // Chromium's network stack: the system's proxy settings apply, as in a browser
  const fetch = ((url: string, init?: RequestInit) =>
    net.fetch(url, init)) as typeof globalThis.fetch
  const manualUpdateCheck = async () => {
    const current = app.getVersion()
    const result = await checkForUpdate({ fetch, url: feed, current })
    const newer = result.status === 'newer'
    const answer = await dialog.showMessageBox({
      type: result.status === 'failed' ? 'warning' : 'info',
      title: 'Check for updates',
      message: manualCheckMessage(result, current),
      buttons: newer ? ['Download', 'Later'] : ['OK'],
      defaultId: 0,
    })
    if (newer && answer.response === 0 && isExternalUrlAllowed(result.url))
      void shell.openExternal(result.url)
  }

  // registered before ready: macOS reports the file that launched the app before it is ready
  routeOpenRequests({
    app,
    argv: process.argv,
    cwd: process.cwd(),
    defaultApp: Boolean(process.defaultApp),
    grants,
    inbox,
    showWindow,
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => workspaces.close())

  void app.whenReady().then(() => {
    try {
      workspaces.start()
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
    app.setAboutPanelOptions(aboutPanel(appName, app.getVersion(), process.versions))
    const menu = menuTemplate(
      process.platform,
      appName,
      {
        importFolder: () => {
          const target = dialogParent()
          if (target) broadcast([target], menuEvents.importFolder, null)
        },
        openWorkspace: () => void pickWorkspace(),
        checkForUpdates: () => void manualUpdateCheck(),
        setAutoUpdateCheck: (enabled) => saveSettings({ checkForUpdates: enabled }),
        about: () => app.showAboutPanel(),
      },
      { autoUpdateCheck: readSettings(settings).checkForUpdates },
    )
    Menu.setApplicationMenu(Menu.buildFromTemplate(menu))
    ready = true
    openWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
    void automaticCheck({
      fetch,
      url: feed,
      current: app.getVersion(),
      settings: () => readSettings(settings),
      remember: (now) => saveSettings({ lastUpdateCheck: now }),
      now: Date.now,
      notify: (notice) => inbox.post('desktop:notice', notice),
    })
  })
}

if (app.requestSingleInstanceLock()) start()
else app.quit()
