// What the preload exposes to the page as `window.studio`: a small facade, never ipcRenderer.
import type { StudioErrorData } from '../main/core/shared/types'

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: StudioErrorData }

export interface StudioBridge {
  /** Calls a contract method (see main/core/contract.ts). */
  call(method: string, params: unknown): Promise<CallOutcome>
  /** Listens to a contract event; returns the unsubscribe function. The IPC event never reaches the page. */
  on(event: string, listener: (payload: unknown) => void): () => void
  /**
   * The absolute path of a dropped file or folder (Electron's webUtils.getPathForFile); a drop is
   * the user's choice, so the path may then be imported.
   */
  pathForFile(file: File): string
  /** Opens the native folder picker; null when the user cancels. The folders may be imported. */
  pickFolder(): Promise<string[] | null>
  /**
   * Asks where to save an export: a save dialog for a file, a folder picker for many files; the
   * path may then be written. `replaceAgreed`: the dialog already asked about replacing a file.
   */
  pickSave(request: SaveRequest): Promise<{ path: string; replaceAgreed: boolean } | null>
}

export interface SaveRequest {
  kind: 'file' | 'folder'
  title: string
  /** the suggested file name (file) */
  name: string
  /** file name extensions offered, without the dot */
  extensions?: string[]
}

/** IPC channel names, one list for main and preload. */
export const channels = {
  call: 'studio:call',
  event: 'studio:event',
  pickFolder: 'studio:pick-folder',
  pickSave: 'studio:pick-save',
  grantDrop: 'studio:grant-drop',
} as const
