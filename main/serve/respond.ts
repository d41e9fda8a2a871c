import type { ServerResponse } from 'node:http'
import type { StudioErrorData } from '../core/shared/types'

/** An HTTP failure with the `{code, message}` body every shell shows as is. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

/** Headers every response carries: no sniffing, and the token in a URL never leaks as a Referer. */
export const baseHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...baseHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  })
  res.end(text)
}

export function sendError(
  res: ServerResponse,
  error: HttpError,
  headers?: Record<string, string>,
): void {
  const body: StudioErrorData = { code: error.code, message: error.message }
  sendJson(res, error.status, body, headers)
}

/** Maps anything thrown while answering to its HTTP error: a full disk is the user's to fix, so say so. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error
  const code = (error as { code?: unknown })?.code
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new HttpError(507, 'disk-full', 'The disk is full: free some space and try again.')
  if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR')
    return new HttpError(409, 'conflict', 'A file and a folder of the upload have the same name.')
  const message = error instanceof Error ? error.message : String(error)
  return new HttpError(500, 'internal', message)
}
