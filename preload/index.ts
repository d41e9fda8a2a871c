// The whole surface the page gets: window.studio, a small facade over six IPC uses. The page never
// sees ipcRenderer or an IPC event object.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { channels, type CallOutcome, type StudioBridge } from './api-types'

const bridge: StudioBridge = {
  call: (method, params) =>
    (ipcRenderer.invoke(channels.call, String(method), params) as Promise<CallOutcome>).catch(
      (error: unknown) => ({
        ok: false,
        error: {
          code: 'internal',
          message: error instanceof Error ? error.message : String(error),
        },
      }),
    ),
  on(event, listener) {
    const relay = (_ipc: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(channels.event, relay)
    return () => {
      ipcRenderer.removeListener(channels.event, relay)
    }
  },
  pathForFile(file) {
    const path = webUtils.getPathForFile(file)
    // IPC keeps order: the grant lands before any call the page makes with this path.
    if (path) void ipcRenderer.invoke(channels.grantDrop, [path])
    return path
  },
  pickFolder: () => ipcRenderer.invoke(channels.pickFolder) as Promise<string[] | null>,
  pickSave: (request) =>
    ipcRenderer.invoke(channels.pickSave, request) as ReturnType<StudioBridge['pickSave']>,
}

contextBridge.exposeInMainWorld('studio', bridge)
