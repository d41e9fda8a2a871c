import { describe, expect, it } from 'vitest'
import {
  newToken,
  originOf,
  ownOrigins,
  readCookie,
  tokenCookie,
  tokensEqual,
} from '../../../main/serve/auth'

describe('auth', () => {
  it('makes a fresh 32-byte hex token each time', () => {
    const a = newToken()
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(newToken()).not.toBe(a)
  })

  it('compares tokens of any length without throwing', () => {
    const token = newToken()
    expect(tokensEqual(token, token)).toBe(true)
    expect(tokensEqual(token.slice(1), token)).toBe(false)
    expect(tokensEqual('', token)).toBe(false)
    expect(tokensEqual(token + 'x', token)).toBe(false)
  })

  it('reads one cookie among several', () => {
    expect(readCookie('a=1; studio-token-80=abc; b=2', 'studio-token-80')).toBe('abc')
    expect(readCookie('studio-token-8080=abc', 'studio-token-80')).toBeUndefined()
    expect(readCookie(undefined, 'x')).toBeUndefined()
  })

  it('sets an HttpOnly, SameSite=Strict cookie named after the port', () => {
    expect(tokenCookie(8123, 'tok')).toBe(
      'studio-token-8123=tok; Path=/; HttpOnly; SameSite=Strict',
    )
  })

  it('knows its own origins: every loopback name on loopback, only itself elsewhere', () => {
    expect(originOf('::1', 5)).toBe('http://[::1]:5')
    expect([...ownOrigins('127.0.0.1', 5)].sort()).toEqual([
      'http://127.0.0.1:5',
      'http://[::1]:5',
      'http://localhost:5',
    ])
    expect([...ownOrigins('192.168.1.4', 5)]).toEqual(['http://192.168.1.4:5'])
  })
})
