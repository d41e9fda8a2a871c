import { describe, expect, it } from 'vitest'
import { tokenCookieName } from '../../../main/serve/auth'
import { indexHtml, secret, startTestServer } from './fixture'
import { request } from './http'

describe('studio serve over HTTP', () => {
  it('listens on 127.0.0.1 and prints a URL that carries a 32-byte hex token', async () => {
    const { server } = await startTestServer()
    expect(server.token).toMatch(/^[0-9a-f]{64}$/)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
  })

  it('serves index.html for / with a strict CSP and the right content types', async () => {
    const { server } = await startTestServer()
    const page = await request(server.port, `/?token=${server.token}`)
    expect(page.status).toBe(200)
    expect(page.body).toBe(indexHtml)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    const csp = page.headers['content-security-policy']
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`)
    expect(csp).toContain("script-src 'self';")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("img-src 'self' data: blob:")
    expect(csp).toContain("worker-src 'self' blob:")
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    const script = await request(server.port, `/app.js?token=${server.token}`)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.headers['content-security-policy']).toBeUndefined()
    const style = await request(server.port, `/assets/style.css?token=${server.token}`)
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8')
  })

  it('answers 401 with {code, message} without the token or with a wrong one', async () => {
    const { server } = await startTestServer()
    for (const path of ['/', '/app.js', '/?token=', `/?token=${'0'.repeat(64)}`]) {
      const reply = await request(server.port, path)
      expect(reply.status).toBe(401)
      expect(reply.json().code).toBe('unauthorized')
      expect(reply.json().message).toMatch(/token/)
    }
    const wrongBearer = await request(server.port, '/', {
      headers: { Authorization: 'Bearer nope' },
    })
    expect(wrongBearer.status).toBe(401)
    const wrongCookie = await request(server.port, '/', {
      headers: { Cookie: `${tokenCookieName(server.port)}=${'f'.repeat(64)}` },
    })
    expect(wrongCookie.status).toBe(401)
  })

  it('accepts the token as a Bearer header', async () => {
    const { server } = await startTestServer()
    const reply = await request(server.port, '/', {
      headers: { Authorization: `Bearer ${server.token}` },
    })
    expect(reply.status).toBe(200)
  })

  it('turns ?token= into an HttpOnly SameSite=Strict cookie that logs later requests in', async () => {
    const { server } = await startTestServer()
    const first = await request(server.port, `/?token=${server.token}`)
    const cookie = first.headers['set-cookie']?.[0] ?? ''
    expect(cookie).toMatch(new RegExp(`^${tokenCookieName(server.port)}=${server.token};`))
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).toContain('Path=/')
    const later = await request(server.port, '/app.js', {
      headers: { Cookie: cookie.split(';')[0] },
    })
    expect(later.status).toBe(200)
    expect(later.headers['set-cookie']).toBeUndefined()
  })

  it('refuses paths that leave the renderer folder, however they are spelt', async () => {
    const { server } = await startTestServer()
    const tricks = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/../../secret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%252e%252e/secret.txt',
      '/C:/Windows/win.ini',
      '/app.js%00.html',
    ]
    for (const path of tricks) {
      const reply = await request(server.port, `${path}?token=${server.token}`)
      expect([400, 403, 404], path).toContain(reply.status)
      expect(reply.body).not.toContain(secret)
    }
    // An absolute-looking path stays inside the folder: it is an unknown app route, so index.html.
    const rooted = await request(server.port, `//etc/passwd?token=${server.token}`)
    expect(rooted.body).toBe(indexHtml)
    const plain = await request(server.port, `/../secret.txt?token=${server.token}`)
    expect(plain.status).toBe(403)
    expect(plain.json().code).toBe('forbidden')
  })

  it('answers 404 for a missing asset and index.html for an app route', async () => {
    const { server } = await startTestServer()
    const missing = await request(server.port, `/assets/missing.js?token=${server.token}`)
    expect(missing.status).toBe(404)
    expect(missing.json().code).toBe('not-found')
    const route = await request(server.port, `/runs?token=${server.token}`)
    expect(route.status).toBe(200)
    expect(route.body).toBe(indexHtml)
  })

  it('allows only GET and HEAD on files', async () => {
    const { server } = await startTestServer()
    const head = await request(server.port, `/?token=${server.token}`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
    const put = await request(server.port, `/?token=${server.token}`, { method: 'PUT', body: 'x' })
    expect(put.status).toBe(405)
  })

  it('closes cleanly with sockets and keep-alive connections open', async () => {
    const { server } = await startTestServer()
    await request(server.port, `/?token=${server.token}`, { headers: { Connection: 'keep-alive' } })
    await server.close()
    await expect(request(server.port, '/')).rejects.toThrow()
  })
})
