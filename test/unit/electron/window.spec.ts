import { describe, expect, it } from 'vitest'
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron'
import {
  createMainWindow,
  isExternalUrlAllowed,
  rendererEntry,
} from '../../../main/electron/window'

describe('isExternalUrlAllowed', () => {
  it.each(['https://github.com/x', 'http://example.com', 'HTTPS://EXAMPLE.COM/a?b#c'])(
    'opens %s in the browser',
    (url) => expect(isExternalUrlAllowed(url)).toBe(true),
  )

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'studio://app/index.html',
    'smb://server/share',
    'ms-msdt:/id',
    'mailto:a@b.c',
    'data:text/html,<b>x</b>',
    '//example.com',
    'not a url',
    '',
  ])('never opens %s', (url) => expect(isExternalUrlAllowed(url)).toBe(false))
})

describe('createMainWindow', () => {
  function fakeElectron() {
    const opened: string[] = []
    const listeners: Record<string, (event: { preventDefault(): void; url?: string }) => void> = {}
    let openHandler: ((details: { url: string }) => { action: string }) | undefined
    let permission: ((wc: unknown, p: string, decide: (ok: boolean) => void) => void) | undefined
    let options: BrowserWindowConstructorOptions | undefined
    let loaded: string | undefined
    const windowListeners: Record<string, () => void> = {}
    class FakeWindow {
      webContents = {
        setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
        on: (name: string, l: (typeof listeners)[string]) => (listeners[name] = l),
        session: { setPermissionRequestHandler: (h: typeof permission) => (permission = h) },
      }
      constructor(o: BrowserWindowConstructorOptions) {
        options = o
      }
      once() {}
      on(name: string, listener: () => void) {
        windowListeners[name] = listener
      }
      getNormalBounds() {
        return { x: options!.x ?? 0, y: options!.y ?? 0, width: 1111, height: 777 }
      }
      isMaximized() {
        return false
      }
      loadURL(url: string) {
        loaded = url
        return Promise.resolve()
      }
    }
    const deps = {
      BrowserWindow: FakeWindow as unknown as typeof BrowserWindow,
      shell: { openExternal: async (url: string) => void opened.push(url) },
    }
    return {
      deps,
      opened,
      listeners,
      open: (url: string) => openHandler!({ url }),
      permission: () => permission!,
      options: () => options!,
      loaded: () => loaded,
      close: () => windowListeners.close(),
    }
  }

  it('opens where it was last closed, and hands its state over as it closes', () => {
    const fake = fakeElectron()
    const saved: unknown[] = []
    createMainWindow(fake.deps, {
      preload: '/app/out/preload/index.cjs',
      title: 'Studio',
      state: { x: 40, y: 30, width: 1000, height: 700, maximized: false },
      onClose: (state) => saved.push(state),
    })
    expect(fake.options()).toMatchObject({ x: 40, y: 30, width: 1000, height: 700 })
    fake.close()
    expect(saved).toEqual([{ x: 40, y: 30, width: 1111, height: 777, maximized: false }])
  })

  it('locks the renderer down', () => {
    const fake = fakeElectron()
    createMainWindow(fake.deps, { preload: '/app/out/preload/index.cjs', title: 'Studio' })
    expect(fake.options().webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    })
    expect(fake.loaded()).toBe('studio://app/index.html')
    let granted: boolean | undefined
    fake.permission()(null, 'media', (ok) => (granted = ok))
    expect(granted).toBe(false)
  })

  it('denies new windows and navigation, sending only web links to the browser', () => {
    const fake = fakeElectron()
    createMainWindow(fake.deps, { preload: 'p', title: 't' })
    expect(fake.open('https://example.com/')).toEqual({ action: 'deny' })
    expect(fake.open('file:///etc/passwd')).toEqual({ action: 'deny' })
    let prevented = 0
    const preventDefault = () => void prevented++
    fake.listeners['will-navigate']({ preventDefault, url: 'https://example.org/docs' })
    fake.listeners['will-navigate']({ preventDefault, url: 'file:///home/me/.ssh/id_rsa' })
    fake.listeners['will-attach-webview']({ preventDefault })
    expect(prevented).toBe(3)
    expect(fake.opened).toEqual(['https://example.com/', 'https://example.org/docs'])
  })

  it('loads the dev server when given one', () => {
    const fake = fakeElectron()
    createMainWindow(fake.deps, { preload: 'p', title: 't', devUrl: 'http://localhost:5173' })
    expect(fake.loaded()).toBe('http://localhost:5173')
    expect(rendererEntry()).toBe('studio://app/index.html')
  })
})
