// Every export of the contract downloads from `studio serve`: the list the server takes is held
// to the contract, and the items export (a saved selection, as CSV or a folder) comes back as a
// file or a ZIP, with progress over the socket while its images are copied.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { paramSchemas, type MethodName } from '../../../main/core/contract'
import { exportMethods } from '../../../main/serve/exports'
import { startServer } from '../../../main/serve/server'
import { call } from '../../helpers/studio'
import { tempDir } from '../../helpers/temp'
import { studioWithItems } from '../core/items/studio-items'
import { connect } from './fixture'

/** The file names in a ZIP, as Python's zipfile reads them (after checking every CRC). */
function zipNames(bytes: Buffer): string[] {
  const file = join(tempDir('studio-zip-'), 'export.zip')
  writeFileSync(file, bytes)
  const script =
    'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\n' +
    'print(json.dumps(sorted(z.namelist())))'
  const result = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(result.stderr)
  return JSON.parse(result.stdout) as string[]
}

describe('exports in browser mode', () => {
  it('downloads every method of the contract that writes to a path', () => {
    const writers = (Object.keys(paramSchemas) as MethodName[]).filter((method) => {
      const shape = (paramSchemas[method] as unknown as { shape?: Record<string, unknown> }).shape
      return shape !== undefined && 'out' in shape
    })
    expect(writers.length).toBeGreaterThanOrEqual(4)
    expect([...exportMethods].sort()).toEqual(writers.sort())
  })

  it('downloads a saved selection as CSV, and as a ZIP of folders with progress', async () => {
    const { studio, datasetId } = studioWithItems(300)
    const ids = Array.from(studio.datasets.items(datasetId, 0, 300).ids)
    const selection = (await call(studio, 'selections.save', {
      datasetId,
      name: 'picked',
      ids: ids.filter((_, i) => i % 3 === 0),
    })) as { id: number }
    const root = tempDir('studio-serve-items-')
    writeFileSync(join(root, 'index.html'), '<!doctype html>')
    const server = await startServer({
      studio,
      rendererDir: root,
      uploadsDir: join(root, 'uploads'),
      exportsWorkDir: join(root, 'work'),
    })
    onTestFinished(() => server.close())
    const base = `http://127.0.0.1:${server.port}`
    const headers = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' }
    const prepare = async (params: Record<string, unknown>, name: string) => {
      const reply = await fetch(`${base}/exports`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ method: 'items.export', params, name }),
      })
      expect(reply.status).toBe(200)
      const { url } = (await reply.json()) as { url: string }
      return fetch(`${base}${url}`, { headers })
    }
    const filter = { selectionId: selection.id }
    const csv = await (await prepare({ datasetId, filter, format: 'csv' }, 'picked.csv')).text()
    const lines = csv.trim().split('\r\n')
    expect(lines[0]).toBe('id,path,label,split,error,cluster,cluster_name,certainty,tags')
    expect(lines).toHaveLength(101)
    expect(lines[2]).toBe(`${ids[3]},/data/set/3.png,3,,,,,,`)

    const ws = await connect(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
    const progress: number[] = []
    const listening = (async () => {
      for (;;) {
        const { event, payload } = await ws.nextEvent()
        const { jobId, done, total } = payload as { jobId: string; done: number; total: number }
        if (event === 'export:progress' && jobId === 'zip') progress.push(done)
        if (done === total) return
      }
    })()
    const zip = await prepare(
      { datasetId, filter, format: 'folders', groupBy: 'label', jobId: 'zip' },
      'picked',
    )
    expect(zip.headers.get('content-type')).toBe('application/zip')
    const names = zipNames(Buffer.from(await zip.arrayBuffer()))
    expect(names).toHaveLength(100)
    expect(names).toContain('picked/3/3.png.png')
    await listening
    expect(progress.at(-1)).toBe(100)
    ws.ws.close()
  })
})
