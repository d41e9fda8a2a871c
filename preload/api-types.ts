// What the preload exposes to the page as `window.studio`: a small facade, never ipcRenderer.
import type { StudioErrorData } from '../main/core/shared/types'

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: StudioErrorData }

export interface StudioBridge {
  /** Calls a contract method (see main/core/contract.ts). */
  call(method: string, params: unknown): Promise<CallOutcome>
  /** Listens to a contract event; returns the unsubscribe function. The IPC event never reaches the page. */
  on(event: string, listener: (payload: unknown) => void): () => void
  /** The absolute path of a dropped file or folder (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string
  /** Opens the native folder picker; null when the user cancels. */
  pickFolder(): Promise<string[] | null>
}

/** IPC channel names, one list for main and preload. */
export const channels = {
  call: 'studio:call',
  event: 'studio:event',
  pickFolder: 'studio:pick-folder',
} as const
