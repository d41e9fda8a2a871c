// `studio serve` and paths: exports download (a file, or a folder as a ZIP) through one-time
// URLs; the server writes only under --write-dir and refuses relative paths; imports read only
// uploads, whose copies go when an import fails or its dataset is deleted; an old tab gets a page
// saying the token changed; --token-file keeps one token across restarts.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { Handlers } from '../../../main/core/dispatch'
import { tokenFromFile } from '../../../main/serve/auth'
import { startServer } from '../../../main/serve/server'
import { tempDir } from '../../helpers/temp'
import { connect } from './fixture'

interface Seen {
  params: Record<string, unknown>[]
}

/** A server over fake handlers: exports write what their params say, imports fail on demand. */
async function serve(options: { writeDir?: boolean; token?: string } = {}) {
  const root = tempDir('studio-serve-exports-')
  const rendererDir = join(root, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>')
  const uploadsDir = join(root, 'uploads')
  const writeDir = join(root, 'exports')
  const seen: Seen = { params: [] }
  const handlers = {
    'clusterings.export': (p: Record<string, unknown>) => {
      seen.params.push(p)
      const out = p.out as string
      if (p.format === 'folders') {
        for (const [folder, file, text] of [
          ['one', 'a.png', 'first'],
          ['one', 'a (2).png', 'second'],
          ['twö', 'b.png', 'third'],
        ]) {
          mkdirSync(join(out, folder), { recursive: true })
          writeFileSync(join(out, folder, file), text)
        }
        return { files: ['a', 'b', 'c'] }
      }
      writeFileSync(out, `path,cluster\r\n${String(p.uploadsDir)},0\r\n`)
      return { files: [out] }
    },
    'datasets.import': (p: Record<string, unknown>) => {
      seen.params.push(p)
      throw Object.assign(new Error('no images'), { code: 'no-images' })
    },
    'datasets.facets': () => ({ paths: [join(uploadsDir, 'up-2', 'digits', 'a.png')] }),
    'datasets.delete': () => ({ deleted: true }),
  } as unknown as Handlers
  const server = await startServer({
    studio: { handlers, onEvent: () => () => {} },
    rendererDir,
    uploadsDir,
    token: options.token,
    writeDir: options.writeDir ? writeDir : undefined,
    exportsWorkDir: join(root, 'work'),
  })
  onTestFinished(() => server.close())
  const base = `http://127.0.0.1:${server.port}`
  const auth = { Authorization: `Bearer ${server.token}` }
  const socket = () => connect(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
  return { server, base, auth, socket, seen, uploadsDir, writeDir, root }
}

/** POST /exports: the server prepares an export for download. */
function prepare(s: { base: string; auth: Record<string, string> }, body: unknown) {
  return fetch(`${s.base}/exports`, {
    method: 'POST',
    headers: { ...s.auth, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** The names and contents Python's zipfile reads from a ZIP (after checking every CRC). */
function unzip(bytes: Buffer): Record<string, string> {
  const file = join(tempDir('studio-zip-'), 'export.zip')
  writeFileSync(file, bytes)
  const script =
    'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\n' +
    'print(json.dumps({n: z.read(n).decode() for n in z.namelist()}))'
  const result = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(result.stderr)
  return JSON.parse(result.stdout) as Record<string, string>
}

describe('serve exports download', () => {
  it('prepares a CSV, streams it once with the user paths, then forgets it', async () => {
    const s = await serve()
    const prepared = await prepare(s, {
      method: 'clusterings.export',
      params: { id: 1, format: 'csv', uploadsDir: '/elsewhere' },
      name: '../clusters.csv',
    })
    expect(prepared.status).toBe(200)
    const { url, name } = (await prepared.json()) as { url: string; name: string }
    expect(name).toBe('_clusters.csv')
    expect(s.seen.params[0].uploadsDir).toBe(s.uploadsDir)
    const first = await fetch(`${s.base}${url}`, { headers: s.auth })
    expect(first.status).toBe(200)
    expect(first.headers.get('content-disposition')).toContain('attachment')
    expect(await first.text()).toBe(`path,cluster\r\n${s.uploadsDir},0\r\n`)
    expect((await fetch(`${s.base}${url}`, { headers: s.auth })).status).toBe(404)
    const wrongKey = url.replace(/key=\w+/, 'key=0')
    expect((await fetch(`${s.base}${wrongKey}`, { headers: s.auth })).status).toBe(404)
  })

  it('streams a folder export as a ZIP that unzips to the same files', async () => {
    const s = await serve()
    const prepared = await prepare(s, {
      method: 'clusterings.export',
      params: { id: 1, format: 'folders' },
      name: 'by-cluster',
    })
    const { url, name } = (await prepared.json()) as { url: string; name: string }
    expect(name).toBe('by-cluster.zip')
    const zip = await fetch(`${s.base}${url}`, { headers: s.auth })
    expect(zip.headers.get('content-type')).toBe('application/zip')
    expect(unzip(Buffer.from(await zip.arrayBuffer()))).toEqual({
      'by-cluster/one/a (2).png': 'second',
      'by-cluster/one/a.png': 'first',
      'by-cluster/twö/b.png': 'third',
    })
  })

  it('refuses methods that are not exports', async () => {
    const s = await serve()
    const refused = await prepare(s, { method: 'datasets.delete', params: { id: 1 }, name: 'x' })
    expect(refused.status).toBe(400)
  })
})

describe('serve writes and reads only where it may', () => {
  it('refuses exports to this machine without --write-dir, relative or outside it', async () => {
    const without = await serve()
    const ws = await without.socket()
    expect(
      await ws.call('clusterings.export', { id: 1, out: join(without.root, 'c.csv') }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden-path' } })

    const s = await serve({ writeDir: true })
    const socket = await s.socket()
    const relative = await socket.call('clusterings.export', { id: 1, out: 'c.csv' })
    expect(relative).toMatchObject({ ok: false, error: { code: 'forbidden-path' } })
    expect(relative.ok ? '' : relative.error.message).toMatch(/relative path/)
    const outside = await socket.call('clusterings.export', { id: 1, out: join(s.root, 'c.csv') })
    expect(outside).toMatchObject({ ok: false, error: { code: 'forbidden-path' } })
    expect(s.seen.params).toHaveLength(0)
    mkdirSync(s.writeDir)
    const inside = await socket.call('clusterings.export', {
      id: 1,
      out: join(s.writeDir, 'c.csv'),
    })
    expect(inside).toMatchObject({ ok: true })
    expect(s.seen.params[0].uploadsDir).toBe(s.uploadsDir)
  })

  it('imports only uploads, and removes the upload of a failed import or a deleted dataset', async () => {
    const s = await serve()
    const socket = await s.socket()
    expect(await socket.call('datasets.import', { paths: ['/etc'] })).toMatchObject({
      ok: false,
      error: { code: 'forbidden-path' },
    })
    for (const id of ['up-1', 'up-2', 'up-3']) {
      mkdirSync(join(s.uploadsDir, id, 'digits'), { recursive: true })
      writeFileSync(join(s.uploadsDir, id, 'digits', 'a.png'), 'x')
    }
    const failed = await socket.call('datasets.import', {
      paths: [join(s.uploadsDir, 'up-1', 'digits')],
    })
    expect(failed).toMatchObject({ ok: false })
    expect(existsSync(join(s.uploadsDir, 'up-1'))).toBe(false)
    expect(await socket.call('datasets.delete', { id: 1 })).toMatchObject({ ok: true })
    expect(existsSync(join(s.uploadsDir, 'up-2'))).toBe(false)
    const given = await fetch(`${s.base}/upload?upload=up-3`, { method: 'DELETE', headers: s.auth })
    expect(given.status).toBe(200)
    expect(existsSync(join(s.uploadsDir, 'up-3'))).toBe(false)
  })
})

describe('serve restarts', () => {
  it('shows a page that says the token changed to a page load without the token', async () => {
    const s = await serve()
    const page = await fetch(`${s.base}/`, { headers: { Accept: 'text/html' } })
    expect(page.status).toBe(401)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    const text = await page.text()
    expect(text).toMatch(/access token changed/)
    expect(text).toMatch(/--token-file/)
    const script = await fetch(`${s.base}/session`)
    expect(((await script.json()) as { code: string }).code).toBe('unauthorized')
    expect((await fetch(`${s.base}/session`, { headers: s.auth })).status).toBe(200)
  })

  it('keeps the token of --token-file across starts, readable by its owner only', async () => {
    const file = join(tempDir('studio-token-'), 'sub', 'token')
    const token = await tokenFromFile(file)
    expect(token).toMatch(/^[0-9a-f]{64}$/)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(await tokenFromFile(file)).toBe(token)
    const s = await serve({ token: await tokenFromFile(file) })
    expect(s.server.url).toContain(token)
    writeFileSync(file, 'short\n')
    await expect(tokenFromFile(file)).rejects.toThrow(/16 to 256/)
    expect(readFileSync(file, 'utf8')).toBe('short\n')
  })
})
