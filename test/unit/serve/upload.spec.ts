import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HttpError, toHttpError } from '../../../main/serve/respond'
import { uploadTarget } from '../../../main/serve/upload'
import { startTestServer } from './fixture'
import { request } from './http'

const uploadPath = (token: string, id: string, path: string) =>
  `/upload?token=${token}&upload=${encodeURIComponent(id)}&path=${encodeURIComponent(path)}`

describe('uploadTarget', () => {
  it('places the file under uploadsDir/<id>/<path>', () => {
    expect(uploadTarget('/up', 'drop_1-a', 'shoes/a.png')).toEqual({
      dir: join('/up', 'drop_1-a'),
      file: join('/up', 'drop_1-a', 'shoes', 'a.png'),
    })
    expect(uploadTarget('/up', 'x', './shoes//a.png').file).toBe(join('/up', 'x', 'shoes', 'a.png'))
  })

  it.each([
    ['..', 'a.png'],
    ['', 'a.png'],
    ['a/b', 'a.png'],
    ['a'.repeat(65), 'a.png'],
    [null, 'a.png'],
    ['ok', '../a.png'],
    ['ok', 'shoes/../../a.png'],
    ['ok', '..\\a.png'],
    ['ok', '/etc/passwd'],
    ['ok', '\\\\server\\share\\a.png'],
    ['ok', 'C:\\a.png'],
    ['ok', 'a\0.png'],
    ['ok', ''],
    ['ok', './'],
    ['ok', null],
  ])('refuses id %j with path %j as 400', (id, path) => {
    expect(() => uploadTarget('/up', id, path)).toThrow(HttpError)
    try {
      uploadTarget('/up', id, path)
    } catch (error) {
      expect((error as HttpError).status).toBe(400)
      expect((error as HttpError).code).toBe('bad-params')
    }
  })
})

describe('toHttpError', () => {
  it('turns a full disk into 507 disk-full with a message for the user', () => {
    const full = toHttpError(
      Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }),
    )
    expect(full).toMatchObject({ status: 507, code: 'disk-full' })
    expect(full.message).toMatch(/disk is full/)
  })

  it('keeps HttpErrors and turns the rest into 500 internal', () => {
    const teapot = new HttpError(418, 'teapot', 'short and stout')
    expect(toHttpError(teapot)).toBe(teapot)
    expect(toHttpError(new Error('boom'))).toMatchObject({ status: 500, code: 'internal' })
  })
})

describe('POST /upload', () => {
  it('writes the body under uploadsDir/<id>/<path> and answers the folder', async () => {
    const { server, uploadsDir } = await startTestServer()
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3])
    const reply = await request(
      server.port,
      uploadPath(server.token, 'drop-1', 'clothes/shoes/a.png'),
      {
        method: 'POST',
        body: bytes,
      },
    )
    expect(reply.status).toBe(200)
    expect(reply.json()).toEqual({ dir: join(uploadsDir, 'drop-1') })
    const file = join(uploadsDir, 'drop-1', 'clothes', 'shoes', 'a.png')
    expect(readFileSync(file)).toEqual(bytes)
    expect(readdirSync(join(uploadsDir, 'drop-1', 'clothes', 'shoes'))).toEqual(['a.png'])
  })

  it('refuses paths that leave the upload folder with 400 and writes nothing', async () => {
    const { server, uploadsDir } = await startTestServer()
    for (const path of ['../escape.png', 'a/../../escape.png', '/tmp/escape.png', 'a\0b']) {
      const reply = await request(server.port, uploadPath(server.token, 'drop-2', path), {
        method: 'POST',
        body: 'x',
      })
      expect(reply.status, path).toBe(400)
      expect(reply.json().code).toBe('bad-params')
    }
    expect(existsSync(uploadsDir)).toBe(false)
  })

  it('needs the token and a same-origin (or absent) Origin', async () => {
    const { server } = await startTestServer()
    const anonymous = await request(server.port, '/upload?upload=a&path=a.png', {
      method: 'POST',
      body: 'x',
    })
    expect(anonymous.status).toBe(401)
    const foreign = await request(server.port, uploadPath(server.token, 'a', 'a.png'), {
      method: 'POST',
      body: 'x',
      headers: { Origin: 'https://evil.example' },
    })
    expect(foreign.status).toBe(403)
    expect(foreign.json().code).toBe('forbidden')
    const own = await request(server.port, uploadPath(server.token, 'a', 'a.png'), {
      method: 'POST',
      body: 'x',
      headers: { Origin: `http://127.0.0.1:${server.port}` },
    })
    expect(own.status).toBe(200)
  })

  it('refuses a body over the cap with 413 and leaves no partial file', async () => {
    const { server, uploadsDir } = await startTestServer({ maxUploadBytes: 1024 })
    const declared = await request(server.port, uploadPath(server.token, 'big', 'a.bin'), {
      method: 'POST',
      body: Buffer.alloc(4096),
    })
    expect(declared.status).toBe(413)
    expect(declared.json().code).toBe('too-large')
    // Chunked, so the cap is hit while streaming rather than from Content-Length.
    const streamed = await request(server.port, uploadPath(server.token, 'big', 'b.bin'), {
      method: 'POST',
      body: Buffer.alloc(64 * 1024),
      headers: { 'Transfer-Encoding': 'chunked' },
    })
    expect(streamed.status).toBe(413)
    const left = existsSync(join(uploadsDir, 'big')) ? readdirSync(join(uploadsDir, 'big')) : []
    expect(left).toEqual([])
    const small = await request(server.port, uploadPath(server.token, 'big', 'c.bin'), {
      method: 'POST',
      body: Buffer.alloc(1024),
    })
    expect(small.status).toBe(200)
  })

  it('GET /upload is 405', async () => {
    const { server } = await startTestServer()
    expect((await request(server.port, uploadPath(server.token, 'a', 'a.png'))).status).toBe(405)
  })
})
