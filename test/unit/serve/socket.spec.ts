import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { tokenCookieName } from '../../../main/serve/auth'
import { encodeMessage, type ServerMessage } from '../../../main/core/shared/wire'
import { connect, socketUrl, startTestServer } from './fixture'

const progress = {
  jobId: 'j',
  phase: 'scanning',
  done: 0,
  total: 0,
  skipped: 0,
  rate: 0,
  eta: null,
} as const

describe('the /ws socket', () => {
  it('refuses an upgrade without the token or with a wrong one', async () => {
    const test = await startTestServer()
    await expect(connect(socketUrl(test, null))).rejects.toThrow(/HTTP 401/)
    await expect(connect(socketUrl(test, 'f'.repeat(64)))).rejects.toThrow(/HTTP 401/)
    await expect(connect(socketUrl(test, ''))).rejects.toThrow(/HTTP 401/)
  })

  it('refuses a foreign Origin even with the right token', async () => {
    const test = await startTestServer()
    await expect(connect(socketUrl(test), { origin: 'https://evil.example' })).rejects.toThrow(
      /HTTP 403/,
    )
    await expect(connect(socketUrl(test), { origin: 'null' })).rejects.toThrow(/HTTP 403/)
    await expect(
      connect(socketUrl(test), { origin: `http://127.0.0.1:${test.server.port + 1}` }),
    ).rejects.toThrow(/HTTP 403/)
  })

  it('accepts the own origin, localhost included, and the cookie instead of ?token=', async () => {
    const test = await startTestServer()
    const { port, token } = test.server
    const own = await connect(socketUrl(test), { origin: `http://127.0.0.1:${port}` })
    expect((await own.call('app.info')).ok).toBe(true)
    const localhost = await connect(socketUrl(test), { origin: `http://localhost:${port}` })
    expect((await localhost.call('app.info')).ok).toBe(true)
    const byCookie = await connect(socketUrl(test, null), {
      origin: `http://127.0.0.1:${port}`,
      headers: { Cookie: `${tokenCookieName(port)}=${token}` },
    })
    expect((await byCookie.call('app.info')).ok).toBe(true)
    const byBearer = await connect(socketUrl(test, null), {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect((await byBearer.call('app.info')).ok).toBe(true)
  })

  it('refuses upgrades on other paths', async () => {
    const test = await startTestServer()
    const url = `ws://127.0.0.1:${test.server.port}/socket?token=${test.server.token}`
    await expect(connect(url)).rejects.toThrow(/HTTP 404/)
  })

  it('answers a malformed frame with an error and keeps working', async () => {
    const test = await startTestServer()
    const socket = await connect(socketUrl(test))
    const strayError = () =>
      new Promise<ServerMessage>((resolve) => {
        const check = () =>
          socket.strays.length ? resolve(socket.strays.shift()!) : setTimeout(check, 5)
        check()
      })
    socket.ws.send(Uint8Array.of(1, 2))
    expect(await strayError()).toMatchObject({
      type: 'error',
      id: -1,
      error: { code: 'bad-params' },
    })
    socket.ws.send(Uint8Array.of(255, 255, 255, 255, 0, 0, 0, 0))
    expect(await strayError()).toMatchObject({ type: 'error', id: -1 })
    socket.ws.send(encodeMessage({ type: 'call', id: 4242, method: 7 }))
    expect(await strayError()).toMatchObject({
      type: 'error',
      id: 4242,
      error: { code: 'bad-params' },
    })
    socket.ws.send(new TextEncoder().encode('\u0005\u0000\u0000\u0000{"no'))
    expect(await strayError()).toMatchObject({ type: 'error', id: -1 })
    const after = await socket.call('datasets.list', {})
    expect(after).toEqual({ ok: true, result: [] })
  })

  it('closes with 1003 on a text frame, and the server keeps serving others', async () => {
    const test = await startTestServer()
    const socket = await connect(socketUrl(test))
    const closed = new Promise<number>((resolve) =>
      socket.ws.once('close', (code) => resolve(code)),
    )
    socket.ws.send('{"type":"call"}')
    expect(await closed).toBe(1003)
    const next = await connect(socketUrl(test))
    expect((await next.call('app.info')).ok).toBe(true)
  })

  it('pushes every event to every open socket', async () => {
    const test = await startTestServer()
    const first = await connect(socketUrl(test))
    const second = await connect(socketUrl(test))
    const events = [first.nextEvent(), second.nextEvent()]
    test.studio.emit('import:progress', progress)
    for (const event of await Promise.all(events))
      expect(event).toEqual({ event: 'import:progress', payload: progress })
  })

  it('stops relaying events once closed', async () => {
    const test = await startTestServer()
    const socket = await connect(socketUrl(test))
    const closed = new Promise((resolve) => socket.ws.once('close', resolve))
    await test.server.close()
    await closed
    expect(socket.ws.readyState).toBe(WebSocket.CLOSED)
    expect(() => test.studio.emit('import:progress', progress)).not.toThrow()
  })
})
