// The app window: sandboxed renderer, no Node, no navigation away from the app, and links to the
// web handed to the user's browser.
import type { BrowserWindow, Shell } from 'electron'
import { appEntryUrl } from './protocol'
import { defaultWindowState, stateOf, type WindowState } from './window-state'

/** Only web pages go to the system browser; file:, javascript:, custom schemes and junk never do. */
export function isExternalUrlAllowed(url: string): boolean {
  try {
    const { protocol } = new URL(url)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

/** The page the window opens: the dev server while developing, the app's own protocol otherwise. */
export function rendererEntry(devUrl?: string): string {
  return devUrl ?? appEntryUrl
}

/** Electron's modules the window needs, passed in so this file loads without Electron. */
export interface WindowDeps {
  BrowserWindow: typeof BrowserWindow
  shell: Pick<Shell, 'openExternal'>
}

export interface WindowOptions {
  /** out/preload/index.cjs */
  preload: string
  /** ELECTRON_RENDERER_URL during `electron-vite dev`; undefined in a built app */
  devUrl?: string
  title: string
  /** where and how large it was when last closed */
  state?: WindowState
  /** hears the window's state as it closes, to keep it for the next launch */
  onClose?: (state: WindowState) => void
}

export function createMainWindow(deps: WindowDeps, options: WindowOptions): BrowserWindow {
  const state = options.state ?? defaultWindowState
  const window = new deps.BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: options.title,
    backgroundColor: '#16181d',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  })
  const openOutside = (url: string) => {
    if (isExternalUrlAllowed(url)) void deps.shell.openExternal(url)
  }
  window.webContents.setWindowOpenHandler(({ url }) => {
    openOutside(url)
    return { action: 'deny' }
  })
  window.webContents.on('will-navigate', (event) => {
    event.preventDefault()
    openOutside(event.url)
  })
  window.webContents.on('will-attach-webview', (event) => event.preventDefault())
  // The app asks for no camera, microphone, notifications or the like.
  window.webContents.session.setPermissionRequestHandler((_contents, _permission, decide) =>
    decide(false),
  )
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize()
    window.show()
  })
  window.on('close', () => options.onClose?.(stateOf(window)))
  void window.loadURL(rendererEntry(options.devUrl))
  return window
}
