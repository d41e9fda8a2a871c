// The app's own origin, studio://app: the renderer is served from out/renderer through it rather
// than file://, so it gets a real origin, a CSP header and no access to the rest of the disk.
import { readFile } from 'node:fs/promises'
import type { Protocol } from 'electron'
import {
  contentSecurityPolicy,
  contentTypeOf,
  isHtml,
  resolveStaticPath,
  staysInside,
} from '../serve/static-files'

export const appScheme = 'studio'
export const appHost = 'app'
export const appEntryUrl = `${appScheme}://${appHost}/index.html`

/** Must run before app is ready: Chromium fixes scheme privileges at start-up. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: appScheme,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ])
}

/** True for pages of the app itself: studio://app/…, or the dev server's origin during development. */
export function isAppUrl(url: string, devUrl?: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === `${appScheme}:`) return parsed.host === appHost
  if (!devUrl) return false
  try {
    return parsed.origin === new URL(devUrl).origin
  } catch {
    return false
  }
}

export const appCsp = contentSecurityPolicy()

const failureCodes: Record<number, string> = {
  400: 'bad-request',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
}

function failure(status: number, message: string): Response {
  return new Response(JSON.stringify({ code: failureCodes[status], message }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

/** Answers one studio:// request from rendererDir; exported so tests can call it without Electron. */
export async function rendererResponse(
  rendererDir: string,
  requestUrl: string,
  method = 'GET',
): Promise<Response> {
  const url = new URL(requestUrl)
  if (url.protocol !== `${appScheme}:` || url.host !== appHost)
    return failure(404, `Nothing at ${requestUrl}.`)
  if (method !== 'GET' && method !== 'HEAD') return failure(405, `${method} is not allowed.`)
  // Take the path as sent, before any URL parser folds `..` away, so the refusal is explicit.
  const rawPath = requestUrl.slice(`${appScheme}://${appHost}`.length).split(/[?#]/)[0] || '/'
  const resolved = resolveStaticPath(rendererDir, rawPath)
  if (!resolved.ok) return failure(resolved.status, resolved.reason)
  try {
    if (!(await staysInside(rendererDir, resolved.file))) return failure(403, 'Outside the app.')
    const body = await readFile(resolved.file)
    const headers: Record<string, string> = {
      'Content-Type': contentTypeOf(resolved.file),
      'X-Content-Type-Options': 'nosniff',
    }
    if (isHtml(resolved.file)) headers['Content-Security-Policy'] = appCsp
    return new Response(method === 'HEAD' ? null : body, { status: 200, headers })
  } catch {
    return failure(404, `Nothing at ${url.pathname}.`)
  }
}

/** Serves studio://app/… from rendererDir; call once the app is ready. */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(appScheme, (request) =>
    rendererResponse(rendererDir, request.url, request.method),
  )
}
