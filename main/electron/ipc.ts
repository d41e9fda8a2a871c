// The Electron transport: the renderer's calls in through ipcMain.handle, the Studio's events out to
// every app window. Electron's modules are passed in, so tests drive it with fakes.
import type { BaseWindow, Dialog, IpcMain, IpcMainInvokeEvent, OpenDialogOptions } from 'electron'
import { dispatch, type EventListener, type Handlers, type Outcome } from '../core/dispatch'
import { channels } from '../../preload/api-types'
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
  dialog: Pick<Dialog, 'showOpenDialog'>
  studio: { handlers: Handlers; onEvent(listener: EventListener): () => void }
  /** the app's own windows (BrowserWindow.getAllWindows in the app) */
  windows(): AppWindow[]
  /** the dev server origin allowed besides studio://app */
  devUrl?: string
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

/** The handler of channels.call: the checked dispatch, or an error outcome for a foreign sender. */
export function callHandler(deps: Pick<IpcDeps, 'windows' | 'devUrl'> & { handlers: Handlers }) {
  return (event: SenderEvent, method: unknown, params: unknown): Promise<Outcome> =>
    isAppSender(event, deps.windows(), deps.devUrl)
      ? dispatch(deps.handlers, method, params)
      : Promise.resolve(foreignSender)
}

/** The handler of channels.pickFolder: folder paths, or null when cancelled (or not asked by the app). */
export function pickFolderHandler(deps: Pick<IpcDeps, 'dialog' | 'windows' | 'devUrl'>) {
  return async (event: SenderEvent): Promise<string[] | null> => {
    const windows = deps.windows()
    if (!isAppSender(event, windows, deps.devUrl)) return null
    const options: OpenDialogOptions = {
      title: 'Import a folder of images',
      properties: ['openDirectory', 'multiSelections'],
    }
    // In the app the windows are BrowserWindows; the dialog is modal to the one that asked.
    const parent = windows.find(
      (w) => w.webContents.id === event.sender.id,
    ) as unknown as BaseWindow
    const result = await deps.dialog.showOpenDialog(parent, options)
    return result.canceled || result.filePaths.length === 0 ? null : result.filePaths
  }
}

/** Sends one event to every open app window. */
export function broadcast(windows: AppWindow[], event: string, payload: unknown): void {
  for (const window of windows)
    if (!window.isDestroyed()) window.webContents.send(channels.event, event, payload)
}

/** Installs the handlers and the event relay; returns the function that removes them. */
export function registerIpc(deps: IpcDeps): () => void {
  deps.ipcMain.handle(channels.call, callHandler({ ...deps, handlers: deps.studio.handlers }))
  deps.ipcMain.handle(channels.pickFolder, pickFolderHandler(deps))
  const unsubscribe = deps.studio.onEvent((event, payload) =>
    broadcast(deps.windows(), event, payload),
  )
  return () => {
    unsubscribe()
    deps.ipcMain.removeHandler(channels.call)
    deps.ipcMain.removeHandler(channels.pickFolder)
  }
}
