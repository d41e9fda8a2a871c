// The core on a workspace it cannot write: it says so in app.info, reads, and refuses every
// method that would change the workspace with the reason, before starting any work.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../main/core/dispatch'
import { Studio } from '../../main/core/service'
import { noReadOnlyDisk, onReadOnlyDisk } from '../helpers/read-only'
import { workspaceWithData } from '../helpers/workspace'

describe('a Studio on a read-only workspace', () => {
  it('says so in app.info, lists, and refuses changes with the reason', async (ctx) => {
    if (noReadOnlyDisk) ctx.skip(noReadOnlyDisk)
    const [file] = onReadOnlyDisk(workspaceWithData(10))
    const studio = new Studio({
      workspaceFile: file,
      resourcesDir: join(import.meta.dirname, '..', '..', 'resources'),
      shell: 'test',
      version: 'test',
    })
    ctx.onTestFinished(() => studio.close())
    const call = (method: string, params: unknown = {}) => dispatch(studio.handlers, method, params)

    const info = await call('app.info')
    expect(info).toMatchObject({
      ok: true,
      result: {
        readOnly: {
          reason: 'it is on a read-only disk',
          advice: 'copy it to a writable disk and open the copy',
        },
      },
    })
    const listed = await call('datasets.list')
    expect(listed.ok && (listed.result as { name: string }[]).map((d) => d.name)).toEqual(['kept'])
    expect(await call('runs.list')).toEqual({ ok: true, result: [] })

    const refusal = {
      ok: false,
      error: {
        code: 'read-only',
        message: `The workspace ${file} is read-only (it is on a read-only disk), so nothing in it can be changed; you can still look at it and export from it. To change it, copy it to a writable disk and open the copy.`,
      },
    }
    expect(await call('datasets.rename', { id: 1, name: 'other' })).toEqual(refusal)
    expect(await call('datasets.delete', { id: 1 })).toEqual(refusal)
    expect(await call('datasets.importSample', {})).toEqual(refusal)
    expect(await call('projections.start', { datasetId: 1, space: 'raw', method: 'pca' })).toEqual(
      refusal,
    )
    expect(await call('datasets.list')).toEqual(listed)
  })
})
