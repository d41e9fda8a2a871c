import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  contentSecurityPolicy,
  contentTypeOf,
  resolveStaticPath,
} from '../../../main/serve/static-files'

const root = join('/srv', 'renderer')

describe('resolveStaticPath', () => {
  it('maps / to index.html and other paths to files under the root', () => {
    expect(resolveStaticPath(root, '/')).toEqual({ ok: true, file: join(root, 'index.html') })
    expect(resolveStaticPath(root, '/assets/app-1.js')).toEqual({
      ok: true,
      file: join(root, 'assets', 'app-1.js'),
    })
    expect(resolveStaticPath(root, '/assets/a%20b.png')).toEqual({
      ok: true,
      file: join(root, 'assets', 'a b.png'),
    })
    expect(resolveStaticPath(root, '/./assets//x.css')).toEqual({
      ok: true,
      file: join(root, 'assets', 'x.css'),
    })
  })

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2e/package.json',
    '/..%2fpackage.json',
    '/..%5cpackage.json',
    '/..\\package.json',
    '/assets/../../package.json',
    '/C:/Windows/win.ini',
    '/c%3a/Windows/win.ini',
  ])('refuses %s with 403', (path) => {
    expect(resolveStaticPath(root, path)).toMatchObject({ ok: false, status: 403 })
  })

  it.each(['/%zz', '/index.html%00.js'])('refuses %s with 400', (path) => {
    expect(resolveStaticPath(root, path)).toMatchObject({ ok: false, status: 400 })
  })

  it('decodes once: %252e%252e is a file literally named %2e%2e', () => {
    expect(resolveStaticPath(root, '/%252e%252e/x')).toEqual({
      ok: true,
      file: join(root, '%2e%2e', 'x'),
    })
  })
})

describe('content types and CSP', () => {
  it('names the types the renderer build produces', () => {
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8')
    expect(contentTypeOf('a.JS')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeOf('a.css')).toBe('text/css; charset=utf-8')
    expect(contentTypeOf('a.svg')).toBe('image/svg+xml')
    expect(contentTypeOf('a.woff2')).toBe('font/woff2')
    expect(contentTypeOf('a.wasm')).toBe('application/wasm')
    expect(contentTypeOf('a.unknown')).toBe('application/octet-stream')
  })

  it('is strict: self only, no inline script, no objects, no framing', () => {
    expect(contentSecurityPolicy(['ws://127.0.0.1:5'])).toBe(
      "default-src 'self'; connect-src 'self' ws://127.0.0.1:5; img-src 'self' data: blob:; " +
        "style-src 'self' 'unsafe-inline'; script-src 'self'; worker-src 'self' blob:; " +
        "object-src 'none'; frame-ancestors 'none'",
    )
  })
})
