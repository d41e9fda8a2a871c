// What the renderer knows of its shell before choosing a transport: the Electron preload's
// bridge (`window.studio`) when present, and the error every transport throws.
import type { ParamIssue } from '@shared/types'
import type { StudioBridge } from '../../preload/api-types'

/** An error from the core or the transport, with a code a program can test and a message for people. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** bad-params: where each problem is */
    readonly issues?: ParamIssue[],
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The preload's bridge in Electron; undefined in a browser (`studio serve`). */
export const bridge = (window as Window & { studio?: StudioBridge }).studio
