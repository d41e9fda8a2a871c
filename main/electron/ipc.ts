// The Electron transport: the renderer's calls in through ipcMain.handle, the Studio's events out to
// every app window. Electron's modules are passed in, so tests drive it with fakes. Paths reach
// the core only when the user chose them (grants.ts): in a native dialog or by a drop.
import type {
  BaseWindow,
  Dialog,
  IpcMain,
  IpcMainInvokeEvent,
  OpenDialogOptions,
  SaveDialogOptions,
} from 'electron'
import { dispatch, type EventListener, type Handlers, type Outcome } from '../core/dispatch'
import { channels, type SaveRequest } from '../../preload/api-types'
import { PathGrants, refusal } from './grants'
import { isAppUrl } from './protocol'

/** The parts of an IpcMainInvokeEvent the sender check reads. */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>

/** The parts of a BrowserWindow this module uses. */
export interface AppWindow {
  isDestroyed(): boolean
  webContents: { id: number; send(channel: string, ...args: unknown[]): void }
}

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>
  studio: { handlers: Handlers; onEvent(listener: EventListener): () => void }
  /** the app's own windows (BrowserWindow.getAllWindows in the app) */
  windows(): AppWindow[]
  /** the dev server origin allowed besides studio://app */
  devUrl?: string
  /** the paths the user chose; a fresh registry by default */
  grants?: PathGrants
}

/**
 * True only for the main frame of one of the app's own windows, showing the app's own page: an
 * iframe, a page the window was somehow navigated to, or another webContents is dropped.
 */
export function isAppSender(event: SenderEvent, windows: AppWindow[], devUrl?: string): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent !== null) return false
  if (!windows.some((w) => !w.isDestroyed() && w.webContents.id === event.sender.id)) return false
  return isAppUrl(frame.url, devUrl)
}

const foreignSender: Outcome = {
  ok: false,
  error: { code: 'unauthorized', message: 'Calls are accepted only from the app window.' },
}

/**
 * The handler of channels.call: the checked dispatch, or an error outcome for a foreign sender or
 * for a call naming a path the user did not choose.
 */
export function callHandler(
  deps: Pick<IpcDeps, 'windows' | 'devUrl'> & { handlers: Handlers; grants: PathGrants },
) {
  return async (event: SenderEvent, method: unknown, params: unknown): Promise<Outcome> => {
    if (!isAppSender(event, deps.windows(), deps.devUrl)) return foreignSender
    const refused = refusal(deps.grants, method, params)
    if (refused) return { ok: false, error: refused }
    return dispatch(deps.handlers, method, params)
  }
}

/** The window that asked, for a dialog modal to it (in the app the windows are BrowserWindows). */
function parentOf(windows: AppWindow[], event: SenderEvent): BaseWindow {
  return windows.find((w) => w.webContents.id === event.sender.id) as unknown as BaseWindow
}

/** The handler of channels.pickFolder: folder paths, or null when cancelled (or not asked by the app). */
export function pickFolderHandler(
  deps: Pick<IpcDeps, 'dialog' | 'windows' | 'devUrl'> & { grants: PathGrants },
) {
  return async (event: SenderEvent): Promise<string[] | null> => {
    const windows = deps.windows()
    if (!isAppSender(event, windows, deps.devUrl)) return null
    const options: OpenDialogOptions = {
      title: 'Import a folder of images',
      properties: ['openDirectory', 'multiSelections'],
    }
    const result = await deps.dialog.showOpenDialog(parentOf(windows, event), options)
    if (result.canceled || result.filePaths.length === 0) return null
    for (const path of result.filePaths) deps.grants.grantRead(path)
    return result.filePaths
  }
}

/**
 * The handler of channels.pickSave: a native save dialog for a file, or a folder picker (with
 * New Folder) for an export of many files; grants the chosen path for writing. A file's dialog
 * asks the user before replacing one, so `replaceAgreed` says the export may overwrite it.
 */
export function pickSaveHandler(
  deps: Pick<IpcDeps, 'dialog' | 'windows' | 'devUrl'> & { grants: PathGrants },
) {
  return async (
    event: SenderEvent,
    request: unknown,
  ): Promise<{ path: string; replaceAgreed: boolean } | null> => {
    const windows = deps.windows()
    if (!isAppSender(event, windows, deps.devUrl)) return null
    const r = (request ?? {}) as Partial<SaveRequest>
    const title = typeof r.title === 'string' ? r.title.slice(0, 200) : 'Export'
    const name = typeof r.name === 'string' ? r.name.slice(0, 255) : 'export'
    const parent = parentOf(windows, event)
    let path: string | undefined
    if (r.kind === 'folder') {
      const options: OpenDialogOptions = {
        title,
        buttonLabel: 'Export here',
        properties: ['openDirectory', 'createDirectory'],
      }
      const result = await deps.dialog.showOpenDialog(parent, options)
      path = result.canceled ? undefined : result.filePaths[0]
    } else {
      const extensions = Array.isArray(r.extensions)
        ? r.extensions.filter((e): e is string => typeof e === 'string')
        : []
      const options: SaveDialogOptions = {
        title,
        defaultPath: name,
        filters: extensions.length > 0 ? [{ name: title, extensions }] : [],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      }
      const result = await deps.dialog.showSaveDialog(parent, options)
      path = result.canceled ? undefined : result.filePath
    }
    if (!path) return null
    deps.grants.grantWrite(path)
    return { path, replaceAgreed: r.kind !== 'folder' }
  }
}

/** The handler of channels.grantDrop: the preload's paths of files dropped on the window. */
export function grantDropHandler(
  deps: Pick<IpcDeps, 'windows' | 'devUrl'> & { grants: PathGrants },
) {
  return (event: SenderEvent, paths: unknown): void => {
    if (!isAppSender(event, deps.windows(), deps.devUrl) || !Array.isArray(paths)) return
    for (const path of paths) if (typeof path === 'string') deps.grants.grantRead(path)
  }
}

/** Sends one event to every open app window. */
export function broadcast(windows: AppWindow[], event: string, payload: unknown): void {
  for (const window of windows)
    if (!window.isDestroyed()) window.webContents.send(channels.event, event, payload)
}

/** Installs the handlers and the event relay; returns the function that removes them. */
export function registerIpc(deps: IpcDeps): () => void {
  const granted = { ...deps, grants: deps.grants ?? new PathGrants() }
  deps.ipcMain.handle(channels.call, callHandler({ ...granted, handlers: deps.studio.handlers }))
  deps.ipcMain.handle(channels.pickFolder, pickFolderHandler(granted))
  deps.ipcMain.handle(channels.pickSave, pickSaveHandler(granted))
  deps.ipcMain.handle(channels.grantDrop, grantDropHandler(granted))
  const unsubscribe = deps.studio.onEvent((event, payload) =>
    broadcast(deps.windows(), event, payload),
  )
  return () => {
    unsubscribe()
    deps.ipcMain.removeHandler(channels.call)
    for (const channel of [channels.pickFolder, channels.pickSave, channels.grantDrop])
      deps.ipcMain.removeHandler(channel)
  }
}
