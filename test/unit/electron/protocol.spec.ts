import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  appEntryUrl,
  isAppUrl,
  registerAppScheme,
  rendererResponse,
  serveRenderer,
} from '../../../main/electron/protocol'
import { tempDir } from '../../helpers/temp'

function renderer() {
  const root = tempDir('studio-protocol-')
  const dir = join(root, 'renderer')
  mkdirSync(join(dir, 'assets'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {}')
  writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET-CONTENT')
  return dir
}

describe('isAppUrl', () => {
  it('accepts the app origin and, when developing, the dev server', () => {
    expect(isAppUrl(appEntryUrl)).toBe(true)
    expect(isAppUrl('studio://app/assets/x.js')).toBe(true)
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true)
  })

  it.each([
    ['studio://other/index.html', undefined],
    ['file:///etc/passwd', undefined],
    ['https://example.com/', undefined],
    ['http://localhost:5173/', undefined],
    ['http://localhost:5174/', 'http://localhost:5173'],
    ['http://localhost.evil.com:5173/', 'http://localhost:5173'],
    ['not a url', 'http://localhost:5173'],
    ['', undefined],
  ])('refuses %j (dev server %j)', (url, devUrl) => {
    expect(isAppUrl(url, devUrl)).toBe(false)
  })
})

describe('the studio:// protocol', () => {
  it('registers studio as a standard, secure scheme', () => {
    const calls: unknown[] = []
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => calls.push(...schemes) })
    expect(calls).toEqual([
      {
        scheme: 'studio',
        privileges: expect.objectContaining({
          standard: true,
          secure: true,
          supportFetchAPI: true,
        }),
      },
    ])
  })

  it('serves index.html with a strict CSP and scripts with their type', async () => {
    const dir = renderer()
    const page = await rendererResponse(dir, 'studio://app/index.html')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self';")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(await page.text()).toContain('<title>app</title>')
    const root = await rendererResponse(dir, 'studio://app/')
    expect(root.status).toBe(200)
    const script = await rendererResponse(dir, 'studio://app/assets/app.js?v=1')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(script.headers.get('content-security-policy')).toBeNull()
  })

  it.each([
    'studio://app/../secret.txt',
    'studio://app/%2e%2e/secret.txt',
    'studio://app/..%2fsecret.txt',
    'studio://app/assets/..%5c..%5csecret.txt',
    'studio://app/assets/../../secret.txt',
  ])('refuses %s', async (url) => {
    const reply = await rendererResponse(renderer(), url)
    expect(reply.status).toBe(403)
    expect(await reply.text()).not.toContain('TOP-SECRET-CONTENT')
  })

  it('answers 404 for missing files and other hosts, 405 for writes', async () => {
    const dir = renderer()
    expect((await rendererResponse(dir, 'studio://app/missing.js')).status).toBe(404)
    expect((await rendererResponse(dir, 'studio://other/index.html')).status).toBe(404)
    expect((await rendererResponse(dir, 'studio://app/index.html', 'POST')).status).toBe(405)
  })

  it('hands protocol.handle a handler that reads request.url', async () => {
    const dir = renderer()
    let handler: ((request: Request) => Response | Promise<Response>) | undefined
    serveRenderer(
      {
        handle: (scheme, h) => {
          expect(scheme).toBe('studio')
          handler = h
        },
      },
      dir,
    )
    const reply = await handler!(new Request('http://placeholder/') as Request)
    expect(reply.status).toBe(404)
  })
})
