import { describe, expect, it } from 'vitest'
import type { Handlers } from '../../../main/core/dispatch'
import {
  callHandler,
  isAppSender,
  pickFolderHandler,
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
    const call = callHandler({ handlers: counted, windows: () => [window(1)] })
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
    const pick = pickFolderHandler({
      dialog: {
        showOpenDialog: (async (...args: unknown[]) => (asked.push(args), answer)) as never,
      },
      windows: () => [window(1)],
    })
    expect(await pick(sender(1, 'studio://app/index.html'))).toEqual(['/data/shoes', '/data/bags'])
    expect(asked[0][1]).toMatchObject({ properties: ['openDirectory', 'multiSelections'] })
    answer = { canceled: true, filePaths: [] }
    expect(await pick(sender(1, 'studio://app/index.html'))).toBeNull()
    expect(await pick(sender(9, 'studio://app/index.html'))).toBeNull()
    expect(asked).toHaveLength(2)
  })

  it('registers both channels, relays events to live windows, and unregisters', () => {
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
    expect([...registered.keys()].sort()).toEqual([channels.call, channels.pickFolder].sort())
    listener!('import:progress', { done: 1 })
    expect(sent).toEqual([[channels.event, 'import:progress', { done: 1 }]])
    dispose()
    expect(registered.size).toBe(0)
    expect(unsubscribed).toBe(true)
  })
})
