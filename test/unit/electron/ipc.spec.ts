import { describe, expect, it } from 'vitest'
import type { Handlers } from '../../../main/core/dispatch'
import { PathGrants } from '../../../main/electron/grants'
import {
  callHandler,
  grantDropHandler,
  isAppSender,
  pickFolderHandler,
  pickSaveHandler,
  registerIpc,
  type AppWindow,
  type SenderEvent,
} from '../../../main/electron/ipc'
import { channels } from '../../../preload/api-types'

function window(id: number, sent: unknown[][] = [], destroyed = false): AppWindow {
  return {
    isDestroyed: () => destroyed,
    webContents: { id, send: (...args: unknown[]) => void sent.push(args) },
  }
}

const sender = (id: number, url: string | null, parent: unknown = null) =>
  ({ sender: { id }, senderFrame: url === null ? null : { url, parent } }) as unknown as SenderEvent

describe('isAppSender', () => {
  const windows = [window(1)]

  it("accepts the main frame of the app's window showing studio://app", () => {
    expect(isAppSender(sender(1, 'studio://app/index.html'), windows)).toBe(true)
  })

  it('accepts the dev server only when it is the dev server', () => {
    const dev = sender(1, 'http://localhost:5173/#/train')
    expect(isAppSender(dev, windows)).toBe(false)
    expect(isAppSender(dev, windows, 'http://localhost:5173/')).toBe(true)
  })

  it.each([
    ['another webContents', sender(2, 'studio://app/index.html')],
    ['a navigated-away page', sender(1, 'https://evil.example/')],
    ['a file page', sender(1, 'file:///tmp/x.html')],
    ['an iframe', sender(1, 'studio://app/index.html', {})],
    ['a destroyed frame', sender(1, null)],
  ])('drops %s', (_what, event) => {
    expect(isAppSender(event, windows)).toBe(false)
  })

  it('drops a destroyed window', () => {
    expect(isAppSender(sender(1, 'studio://app/index.html'), [window(1, [], true)])).toBe(false)
  })
})

describe('ipc handlers', () => {
  const handlers = { 'app.info': () => ({ version: '1' }) } as unknown as Handlers

  it('dispatches app calls and never runs a handler for a foreign sender', async () => {
    let ran = 0
    const counted = { 'app.info': () => (ran++, { version: '1' }) } as unknown as Handlers
    const call = callHandler({
      handlers: counted,
      windows: () => [window(1)],
      grants: new PathGrants(),
    })
    expect(await call(sender(1, 'studio://app/index.html'), 'app.info', {})).toEqual({
      ok: true,
      result: { version: '1' },
    })
    expect(await call(sender(5, 'studio://app/index.html'), 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    })
    expect(ran).toBe(1)
  })

  it('opens the folder picker for the app and returns the chosen paths or null', async () => {
    const asked: unknown[][] = []
    let answer = { canceled: false, filePaths: ['/data/shoes', '/data/bags'] }
    const grants = new PathGrants()
    const pick = pickFolderHandler({
      dialog: {
        showOpenDialog: (async (...args: unknown[]) => (asked.push(args), answer)) as never,
        showSaveDialog: (() => Promise.reject(new Error('not this one'))) as never,
      },
      windows: () => [window(1)],
      grants,
    })
    expect(await pick(sender(1, 'studio://app/index.html'))).toEqual(['/data/shoes', '/data/bags'])
    expect(grants.mayRead('/data/shoes/boots/1.png')).toBe(true)
    expect(grants.mayRead('/data/hats')).toBe(false)
    expect(asked[0][1]).toMatchObject({ properties: ['openDirectory', 'multiSelections'] })
    answer = { canceled: true, filePaths: [] }
    expect(await pick(sender(1, 'studio://app/index.html'))).toBeNull()
    expect(await pick(sender(9, 'studio://app/index.html'))).toBeNull()
    expect(asked).toHaveLength(2)
  })

  it('imports and exports only the paths the user chose in a dialog or dropped', async () => {
    const ran: unknown[] = []
    const handlers = {
      'datasets.import': (p: unknown) => (ran.push(p), { datasetId: 1 }),
      'clusterings.export': (p: unknown) => (ran.push(p), { files: [] }),
    } as unknown as Handlers
    const grants = new PathGrants()
    const windows = () => [window(1)]
    const app = sender(1, 'studio://app/index.html')
    const call = callHandler({ handlers, windows, grants })
    const saves: unknown[][] = []
    const pickSave = pickSaveHandler({
      dialog: {
        showOpenDialog: (async () => ({
          canceled: false,
          filePaths: ['/home/u/by-cluster'],
        })) as never,
        showSaveDialog: (async (...args: unknown[]) => (
          saves.push(args),
          { canceled: false, filePath: '/home/u/clusters.csv' }
        )) as never,
      },
      windows,
      grants,
    })
    const importOf = (path: string) => call(app, 'datasets.import', { paths: [path] })
    const exportTo = (out: string) => call(app, 'clusterings.export', { id: 1, out })

    expect(await importOf('/home/u/photos')).toMatchObject({ error: { code: 'forbidden-path' } })
    expect(await exportTo('/home/u/clusters.csv')).toMatchObject({
      error: { code: 'forbidden-path' },
    })
    expect(ran).toHaveLength(0)

    grantDropHandler({ windows, grants })(sender(2, 'studio://app/index.html'), ['/home/u/photos'])
    expect(await importOf('/home/u/photos')).toMatchObject({ ok: false })
    grantDropHandler({ windows, grants })(app, ['/home/u/photos'])
    expect(await importOf('/home/u/photos')).toMatchObject({ ok: true })
    expect(await importOf('/home/u/photos/../secrets')).toMatchObject({ ok: false })
    expect(await importOf('photos')).toMatchObject({ ok: false })

    const file = {
      kind: 'file',
      title: 'Export clusters',
      name: 'clusters.csv',
      extensions: ['csv'],
    }
    expect(await pickSave(app, file)).toEqual({ path: '/home/u/clusters.csv', replaceAgreed: true })
    expect(saves[0][1]).toMatchObject({
      defaultPath: 'clusters.csv',
      filters: [{ extensions: ['csv'] }],
    })
    expect(await exportTo('/home/u/clusters.csv')).toMatchObject({ ok: true })
    expect(await exportTo('/home/u/other.csv')).toMatchObject({ ok: false })
    const folder = { kind: 'folder', title: 'Export clusters', name: 'clusters' }
    expect(await pickSave(app, folder)).toEqual({
      path: '/home/u/by-cluster',
      replaceAgreed: false,
    })
    expect(await exportTo('/home/u/by-cluster')).toMatchObject({ ok: true })
    expect(await pickSave(sender(3, 'studio://app/index.html'), folder)).toBeNull()
    expect(ran).toHaveLength(3)
  })

  it('registers its channels, relays events to live windows, and unregisters', () => {
    const registered = new Map<string, unknown>()
    let listener: ((event: string, payload: unknown) => void) | undefined
    let unsubscribed = false
    const sent: unknown[][] = []
    const dispose = registerIpc({
      ipcMain: {
        handle: (channel: string, fn: unknown) => void registered.set(channel, fn),
        removeHandler: (channel: string) => void registered.delete(channel),
      } as never,
      dialog: {} as never,
      studio: {
        handlers,
        onEvent: (l) => {
          listener = l as typeof listener
          return () => (unsubscribed = true)
        },
      },
      windows: () => [window(1, sent), window(2, sent, true)],
    })
    expect([...registered.keys()].sort()).toEqual(
      [channels.call, channels.pickFolder, channels.pickSave, channels.grantDrop].sort(),
    )
    listener!('import:progress', { done: 1 })
    expect(sent).toEqual([[channels.event, 'import:progress', { done: 1 }]])
    dispose()
    expect(registered.size).toBe(0)
    expect(unsubscribed).toBe(true)
  })
})
