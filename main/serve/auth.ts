// Access to `studio serve`, like Jupyter: a random token in the URL it prints, remembered in an
// HttpOnly cookie after the first visit, and an Origin check so other sites cannot drive it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { dirname } from 'node:path'

export function newToken(): string {
  return randomBytes(32).toString('hex')
}

/**
 * `studio serve --token-file FILE`: the token kept in FILE, so an open tab and a bookmark survive
 * a restart; a new token is written there (readable by its owner only) when FILE does not exist.
 */
export async function tokenFromFile(file: string): Promise<string> {
  const kept = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null
      throw error
    },
  )
  if (kept !== null) {
    if (!/^[\x21-\x7e]{16,256}$/.test(kept))
      throw new Error(`${file} must hold one token of 16 to 256 printable characters.`)
    return kept
  }
  const token = newToken()
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, token + '\n', { mode: 0o600, flag: 'wx' })
  return token
}

/** Compares in constant time; hashing first makes the lengths equal too. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** One cookie per port: cookies ignore ports, so two servers on one host must not share a name. */
export function tokenCookieName(port: number): string {
  return `studio-token-${port}`
}

export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim()
  }
  return undefined
}

export type Credential = 'query' | 'bearer' | 'cookie'

/** Which of the request's credentials carries the right token, or null when none does. */
export function authenticate(
  req: IncomingMessage,
  url: URL,
  token: string,
  port: number,
): Credential | null {
  const query = url.searchParams.get('token')
  if (query !== null && tokensEqual(query, token)) return 'query'
  const authorization = req.headers.authorization
  if (authorization?.startsWith('Bearer ') && tokensEqual(authorization.slice(7).trim(), token))
    return 'bearer'
  const cookie = readCookie(req.headers.cookie, tokenCookieName(port))
  if (cookie !== undefined && tokensEqual(cookie, token)) return 'cookie'
  return null
}

const loopbackHosts = ['127.0.0.1', 'localhost', '::1']

/** `http://host:port` as a browser writes it in an Origin header (IPv6 in brackets). */
export function originOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** The server's own origins: on loopback, every loopback name reaches the same server. */
export function ownOrigins(host: string, port: number): Set<string> {
  const own = new Set([originOf(host, port)])
  if (loopbackHosts.includes(host)) for (const name of loopbackHosts) own.add(originOf(name, port))
  return own
}

/** No Origin (a script, curl) is fine with a token; a foreign one, even with a cookie, is not. */
export function originAllowed(req: IncomingMessage, own: Set<string>): boolean {
  const origin = req.headers.origin
  return origin === undefined || own.has(origin)
}
