// One list of contract cases, run over both transports: the WebSocket of `studio serve` and the
// Electron IPC handler (called with fake senders, values passed through structuredClone as IPC does).
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { Outcome } from '../../main/core/dispatch'
import { Studio } from '../../main/core/service'
import type { ImportProgress, ItemPage } from '../../main/core/shared/types'
import { registerIpc, type AppWindow, type SenderEvent } from '../../main/electron/ipc'
import { channels } from '../../preload/api-types'
import { tempDir } from '../helpers/temp'
import { connect, socketUrl, startTestServer } from '../unit/serve/fixture'

interface Transport {
  studio: Studio
  call(method: string, params?: unknown): Promise<Outcome>
  nextEvent(): Promise<{ event: string; payload: unknown }>
}

async function overWebSocket(): Promise<Transport> {
  const test = await startTestServer()
  const socket = await connect(socketUrl(test))
  return { studio: test.studio, call: socket.call, nextEvent: socket.nextEvent }
}

type Listener = (event: SenderEvent, ...args: unknown[]) => unknown

/** A fake ipcMain and one app window; returns the transport and the raw handlers. */
function ipcHarness() {
  const dir = tempDir('studio-ipc-')
  const studio = new Studio({
    workspaceFile: join(dir, 'workspace.sqlite'),
    resourcesDir: join(dir, 'resources'),
    shell: 'test',
    version: '0.0.0-test',
  })
  const handlers = new Map<string, Listener>()
  const sent: { event: string; payload: unknown }[] = []
  const waiting: ((event: { event: string; payload: unknown }) => void)[] = []
  const window: AppWindow = {
    isDestroyed: () => false,
    webContents: {
      id: 7,
      send(channel, event, payload) {
        expect(channel).toBe(channels.event)
        const message = structuredClone({ event: event as string, payload })
        const waiter = waiting.shift()
        if (waiter) waiter(message)
        else sent.push(message)
      },
    },
  }
  const dispose = registerIpc({
    ipcMain: {
      handle: (channel: string, listener: Listener) => void handlers.set(channel, listener),
      removeHandler: (channel: string) => void handlers.delete(channel),
    } as never,
    dialog: { showOpenDialog: () => Promise.reject(new Error('no dialogs here')) } as never,
    studio,
    windows: () => [window],
  })
  const appSender = {
    sender: { id: 7 },
    senderFrame: { url: 'studio://app/index.html', parent: null },
  } as unknown as SenderEvent
  const invoke = async (event: SenderEvent, method: string, params: unknown) => {
    const [m, p] = structuredClone([method, params])
    return structuredClone((await handlers.get(channels.call)!(event, m, p)) as Outcome)
  }
  const transport: Transport = {
    studio,
    call: (method, params = {}) => invoke(appSender, method, params),
    nextEvent: () => {
      const queued = sent.shift()
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve))
    },
  }
  return {
    transport,
    invoke,
    close: () => {
      dispose()
      studio.close()
    },
  }
}

async function overIpc(): Promise<Transport> {
  const harness = ipcHarness()
  onTestFinished(harness.close)
  return harness.transport
}

const options = {
  size: 2,
  channels: 'grey',
  fit: 'pad',
  background: 'black',
  maxPixels: 1e8,
} as const

/** Inserts a 2×2 grey dataset of two items straight into the store (no import pipeline). */
function tinyDataset(studio: Studio) {
  const id = studio.datasets.create({
    name: 'tiny',
    width: 2,
    height: 2,
    channels: 'grey',
    options,
    sources: ['/nowhere'],
  })
  const itemIds = studio.datasets.addItems(id, 0, [
    {
      path: '/nowhere/a.png',
      label: 'shoe',
      pixels: Uint8Array.of(1, 2, 3, 4),
      contentHash: null,
      duplicateOf: null,
    },
    {
      path: '/nowhere/b.png',
      label: null,
      pixels: Uint8Array.of(250, 251, 252, 253),
      contentHash: null,
      duplicateOf: null,
    },
  ])
  studio.datasets.markReady(id)
  return { id, itemIds }
}

function expectError(outcome: Outcome, code: string): string {
  expect(outcome.ok).toBe(false)
  if (outcome.ok) throw new Error('unreachable')
  expect(outcome.error.code).toBe(code)
  expect(typeof outcome.error.message).toBe('string')
  expect(outcome.error.message.length).toBeGreaterThan(0)
  return outcome.error.message
}

function expectResult(outcome: Outcome): unknown {
  if (!outcome.ok)
    throw new Error(`expected a result, got ${outcome.error.code}: ${outcome.error.message}`)
  return outcome.result
}

const transports: [string, () => Promise<Transport>][] = [
  ['WebSocket', overWebSocket],
  ['Electron IPC', overIpc],
]

describe.each(transports)('contract over %s', (_name, open) => {
  it('app.info answers with the version and shell', async () => {
    const { call } = await open()
    const info = expectResult(await call('app.info', {})) as Record<string, unknown>
    expect(info).toMatchObject({ version: '0.0.0-test', shell: 'test', sampleAvailable: false })
    expect(info.workspace).toMatch(/workspace\.sqlite$/)
  })

  it('datasets.list of an empty workspace is []', async () => {
    const { call } = await open()
    expect(expectResult(await call('datasets.list', {}))).toEqual([])
  })

  it('bad params are refused with bad-params and a readable message', async () => {
    const { call } = await open()
    expect(expectError(await call('datasets.get', { id: -1 }), 'bad-params')).toMatch(
      /datasets\.get/,
    )
    expect(expectError(await call('datasets.get', { id: 'x' }), 'bad-params')).toMatch(/id/)
    expectError(await call('datasets.get', {}), 'bad-params')
    expectError(await call('datasets.items', { id: 1, limit: 1e9 }), 'bad-params')
  })

  it('bad params carry each issue as {path, message} beside the message', async () => {
    const { call } = await open()
    const outcome = await call('runs.start', {
      datasetId: 1,
      config: { latent: 1, hidden: [64, 0] },
    })
    expectError(outcome, 'bad-params')
    if (outcome.ok) throw new Error('unreachable')
    const issues = outcome.error.issues ?? []
    expect(issues.map((issue) => issue.path)).toEqual([
      ['config', 'hidden', 1],
      ['config', 'latent'],
    ])
    for (const issue of issues) expect(outcome.error.message).toContain(issue.message)
  })

  it('an unknown method is unknown-method', async () => {
    const { call } = await open()
    expect(expectError(await call('datasets.explode', {}), 'unknown-method')).toMatch(
      /datasets\.explode/,
    )
    expectError(await call('__proto__', {}), 'unknown-method')
  })

  it('a missing dataset is not-found', async () => {
    const { call } = await open()
    expect(expectError(await call('datasets.get', { id: 999 }), 'not-found')).toMatch(/999/)
  })

  it('typed arrays arrive as typed arrays with the right bytes', async () => {
    const { call, studio } = await open()
    const { id, itemIds } = tinyDataset(studio)
    const page = expectResult(await call('datasets.items', { id })) as ItemPage
    expect(page.pixels).toBeInstanceOf(Uint8Array)
    expect([...page.pixels]).toEqual([1, 2, 3, 4, 250, 251, 252, 253])
    expect(page.ids).toBeInstanceOf(Int32Array)
    expect([...page.ids]).toEqual(itemIds)
    expect(page).toMatchObject({
      total: 2,
      width: 2,
      height: 2,
      channels: 1,
      labels: ['shoe', null],
    })
    const listed = expectResult(await call('datasets.list', {})) as { id: number; labels: object }[]
    expect(listed.map((d) => d.id)).toEqual([id])
    expect(listed[0].labels).toEqual({ shoe: 1 })
  })

  it('events reach the page', async () => {
    const { studio, nextEvent } = await open()
    const progress: ImportProgress = {
      jobId: 'job-1',
      phase: 'decoding',
      done: 3,
      total: 10,
      skipped: 0,
      rate: 12.5,
      eta: null,
    }
    const received = nextEvent()
    studio.emit('import:progress', progress)
    expect(await received).toEqual({ event: 'import:progress', payload: progress })
  })
})

describe('contract over Electron IPC, sender checks', () => {
  it('drops calls from a frame that is not the app window', async () => {
    const harness = ipcHarness()
    try {
      const foreign = [
        { sender: { id: 99 }, senderFrame: { url: 'studio://app/index.html', parent: null } },
        { sender: { id: 7 }, senderFrame: { url: 'https://example.com/', parent: null } },
        { sender: { id: 7 }, senderFrame: { url: 'studio://app/index.html', parent: {} } },
        { sender: { id: 7 }, senderFrame: null },
      ] as unknown as SenderEvent[]
      for (const event of foreign)
        expectError(await harness.invoke(event, 'app.info', {}), 'unauthorized')
    } finally {
      harness.close()
    }
  })
})
