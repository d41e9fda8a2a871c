import { EventEmitter } from 'node:events'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { channels } from '../../../preload/api-types'
import { PathGrants } from '../../../main/electron/grants'
import {
  filesFromArgv,
  isOpenableFile,
  openFiles,
  PageInbox,
  routeOpenRequests,
} from '../../../main/electron/opened-files'

const root = resolve('/data')
const packaged = { cwd: root, defaultApp: false }

function fakeWindow(id = 1) {
  const sent: unknown[][] = []
  let destroyed = false
  return {
    sent,
    destroy: () => void (destroyed = true),
    isDestroyed: () => destroyed,
    webContents: { id, send: (...args: unknown[]) => void sent.push(args) },
  }
}

describe('isOpenableFile', () => {
  it.each([
    'codes.npy',
    'X.NPY',
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte.gz',
    't10k-images.idx3-ubyte',
    'digits.idx3',
  ])('opens %s', (name) => expect(isOpenableFile(join(root, name))).toBe(true))

  it.each(['photo.png', 'codes.npz', 'notes.txt', 'ubyte', 'npy'])('leaves %s', (name) =>
    expect(isOpenableFile(join(root, name))).toBe(false),
  )
})

describe('filesFromArgv', () => {
  it('takes the files after the executable, resolving relative paths against the folder', () => {
    const argv = [
      '/opt/studio/autoencoder-studio',
      'a.npy',
      join(root, 'x', 'train-images-idx3-ubyte'),
    ]
    expect(filesFromArgv(argv, packaged)).toEqual([
      join(root, 'a.npy'),
      join(root, 'x', 'train-images-idx3-ubyte'),
    ])
  })

  it("skips the app's folder when run as `electron .`, and every switch", () => {
    const argv = ['electron', '.', '--user-data-dir=/tmp/u', '--allow-file-access', 'b.npy']
    expect(filesFromArgv(argv, { cwd: root, defaultApp: true })).toEqual([join(root, 'b.npy')])
    // packaged, '.' is not skipped, but it is not a file the app opens
    expect(filesFromArgv(['studio', '.', 'b.npy'], packaged)).toEqual([join(root, 'b.npy')])
  })

  it('reads file:// URLs (a Linux desktop entry passes %U), ignores other schemes and repeats', () => {
    const file = join(root, 'c d.npy')
    const argv = ['studio', pathToFileURL(file).href, 'https://example.com/e.npy', file, 'f.png']
    expect(filesFromArgv(argv, packaged)).toEqual([file])
  })

  it('finds nothing on a plain launch', () => {
    expect(filesFromArgv(['studio'], packaged)).toEqual([])
    expect(filesFromArgv(['electron', '/src/app'], { cwd: root, defaultApp: true })).toEqual([])
  })
})

describe('PageInbox', () => {
  it('keeps messages until the page has loaded, then sends them in order', () => {
    const inbox = new PageInbox()
    const window = fakeWindow()
    inbox.post('desktop:open-files', { paths: ['/a.npy'] })
    inbox.post('desktop:notice', { kind: 'info', message: 'hello' })
    expect(window.sent).toEqual([])
    inbox.ready(window)
    expect(window.sent).toEqual([
      [channels.event, 'desktop:open-files', { paths: ['/a.npy'] }],
      [channels.event, 'desktop:notice', { kind: 'info', message: 'hello' }],
    ])
    expect(inbox.waiting).toBe(0)
    inbox.post('desktop:notice', { kind: 'info', message: 'now' })
    expect(window.sent).toHaveLength(3)
  })

  it('holds them again while the page reloads or after the window closed', () => {
    const inbox = new PageInbox()
    const first = fakeWindow(1)
    inbox.ready(first)
    inbox.notReady(first)
    inbox.post('desktop:open-files', { paths: ['/a.npy'] })
    expect(first.sent).toEqual([])
    const second = fakeWindow(2)
    inbox.ready(second)
    inbox.notReady(first) // a late event of the old window does not stop the new one
    second.destroy()
    inbox.post('desktop:open-files', { paths: ['/b.npy'] })
    expect(second.sent).toHaveLength(1)
    expect(inbox.waiting).toBe(1)
  })
})

describe('openFiles', () => {
  it('grants the files for reading and asks the page to import them', () => {
    const grants = new PathGrants()
    const inbox = new PageInbox()
    const window = fakeWindow()
    inbox.ready(window)
    const file = join(root, 'codes.npy')
    expect(openFiles([file, join(root, 'secret.txt'), 'relative.npy'], { grants, inbox })).toBe(
      true,
    )
    expect(grants.mayRead(file)).toBe(true)
    expect(grants.mayRead(join(root, 'secret.txt'))).toBe(false)
    expect(window.sent).toEqual([[channels.event, 'desktop:open-files', { paths: [file] }]])
    expect(openFiles([join(root, 'secret.txt')], { grants, inbox })).toBe(false)
    expect(window.sent).toHaveLength(1)
  })
})

describe('routeOpenRequests', () => {
  function setUp(argv: string[], defaultApp = false) {
    const app = new EventEmitter()
    const grants = new PathGrants()
    const inbox = new PageInbox()
    let shown = 0
    routeOpenRequests({
      app,
      argv,
      cwd: root,
      defaultApp,
      grants,
      inbox,
      showWindow: () => void shown++,
    })
    return { app, grants, inbox, shown: () => shown }
  }

  it("opens the file on this launch's command line once the page loads", () => {
    const { grants, inbox } = setUp(['electron', '/src/app', 'first.npy'], true)
    expect(grants.mayRead(join(root, 'first.npy'))).toBe(true)
    const window = fakeWindow()
    inbox.ready(window)
    expect(window.sent).toEqual([
      [channels.event, 'desktop:open-files', { paths: [join(root, 'first.npy')] }],
    ])
  })

  it("handles macOS's open-file before the window exists and after, and prevents the default", () => {
    const { app, inbox, shown } = setUp(['studio'])
    let prevented = 0
    const event = { preventDefault: () => void prevented++ }
    const early = join(root, 'early.npy')
    app.emit('open-file', event, early)
    const window = fakeWindow()
    inbox.ready(window)
    const late = join(root, 'late-images-idx3-ubyte')
    app.emit('open-file', event, late)
    expect(prevented).toBe(2)
    expect(shown()).toBe(2)
    expect(window.sent.map((message) => message[2])).toEqual([
      { paths: [early] },
      { paths: [late] },
    ])
  })

  it("brings the window forward on a second launch and opens that launch's files", () => {
    const { app, inbox, shown, grants } = setUp(['studio'])
    const window = fakeWindow()
    inbox.ready(window)
    const other = resolve('/elsewhere')
    app.emit('second-instance', {}, ['studio', '--flag', 'two.npy'], other)
    expect(grants.mayRead(join(other, 'two.npy'))).toBe(true)
    expect(window.sent).toEqual([
      [channels.event, 'desktop:open-files', { paths: [join(other, 'two.npy')] }],
    ])
    app.emit('second-instance', {}, ['studio'], other) // a plain second launch: only focus
    expect(shown()).toBe(3)
    expect(window.sent).toHaveLength(1)
  })
})
