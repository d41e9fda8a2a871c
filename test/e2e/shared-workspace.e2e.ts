// The app, `studio serve` and every command open the same workspace at once: real processes,
// one working while another opens, reads and writes, or is killed.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { Studio } from '../../main/core/service'
import type { RunSummary } from '../../main/core/shared/runs'
import { writeIdxImages } from '../fixtures/arrays'
import { call, sampleFiles, until } from '../helpers/studio'
import { launchBrowser, skipReason } from './browser'
import { openHash, openStart, studioCli } from './cli'
import { startServe } from './server'

const root = join(import.meta.dirname, '..', '..')
const cli = join(root, 'out', 'main', 'cli.js')

let cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup()
  cleanups = []
})

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'studio-shared-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Starts `studio …` in the background; its --json result arrives with `done`. */
function startCli(db: string, args: string[], options: { detached?: boolean } = {}) {
  const child: ChildProcess = spawn(process.execPath, [cli, ...args, '--db', db, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached,
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const done = new Promise<{ code: number | null; result: unknown; stderr: string }>((resolve) =>
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').pop()
      let result: unknown = null
      try {
        result = last ? JSON.parse(last) : null
      } catch {
        // not JSON: the command failed before its result
      }
      resolve({ code, result, stderr })
    }),
  )
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { child, done }
}

/** Polls `read` every 50 ms until it gives a value other than undefined (or 60 s pass). */
async function waitFor<T>(what: string, read: () => T | undefined): Promise<T> {
  const until = Date.now() + 60_000
  for (;;) {
    const value = read()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A look at the workspace from outside, as a third process would. */
function peek<T>(db: string, sql: string): T | undefined {
  let raw: Database.Database | undefined
  try {
    raw = new Database(db, { readonly: true, fileMustExist: true })
    return raw.prepare(sql).get() as T | undefined
  } catch {
    return undefined // the file or its schema is not there yet
  } finally {
    raw?.close()
  }
}

/** True when nobody holds the write lock: a process stopped now is not mid-transaction. */
function writable(db: string): boolean {
  const raw = new Database(db, { timeout: 0 })
  try {
    raw.exec('BEGIN IMMEDIATE; ROLLBACK')
    return true
  } catch {
    return false
  } finally {
    raw.close()
  }
}

function openApp(db: string): Studio {
  const studio = new Studio({
    workspaceFile: db,
    resourcesDir: join(root, 'resources'),
    shell: 'test',
    version: 'test',
  })
  cleanups.push(() => studio.close())
  return studio
}

describe('two processes on one workspace', () => {
  it('an import in one, and datasets, train and another import in the other, all succeed', async () => {
    const work = workDir()
    const db = join(work, 'ws.sqlite')
    // resized item by item, so the import is long enough to be caught in the middle
    const images = writeIdxImages(work, 'many-images-idx3-ubyte', {
      count: 3000,
      height: 28,
      width: 28,
    })
    const first = startCli(db, ['import', images, '--size', '20'])
    await waitFor('the first import to start storing', () =>
      peek<{ id: number }>(db, `SELECT id FROM datasets WHERE status = 'importing'`),
    )
    // Hold the first import still, between two of its transactions, while the other works.
    const pid = first.child.pid!
    for (;;) {
      process.kill(pid, 'SIGSTOP')
      if (writable(db)) break
      process.kill(pid, 'SIGCONT')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    try {
      expect(studioCli(db, 'datasets')).toEqual([])
      const { datasetId } = studioCli(db, 'import', ...sampleFiles) as { datasetId: number }
      const trained = studioCli(db, 'train', '--dataset', String(datasetId), '--epochs', '1') as {
        runId: number
        epochs: number
      }
      expect(trained.epochs).toBe(1)
      expect(
        peek<{ status: string }>(db, `SELECT status FROM datasets WHERE id = 1`)?.status,
        'the first import is still under way',
      ).toBe('importing')
    } finally {
      process.kill(pid, 'SIGCONT')
    }
    const { code, result, stderr } = await first.done
    expect(stderr).not.toMatch(/FOREIGN KEY/)
    expect(code).toBe(0)
    expect(result).toMatchObject({ datasetId: 1, items: 3000 })
    const listed = studioCli(db, 'datasets') as { id: number; items: number }[]
    expect(listed.map((d) => [d.id, d.items])).toEqual([
      [2, 2000],
      [1, 3000],
    ])
  })
})

describe('a run whose command is killed while the app is open', () => {
  async function trainingElsewhere(detached: boolean) {
    const work = workDir()
    const db = join(work, 'ws.sqlite')
    const { datasetId } = studioCli(db, 'import', ...sampleFiles) as { datasetId: number }
    const app = openApp(db)
    const seen = until(app, 'training:status', (s) => s.status === 'running')
    const command = startCli(
      db,
      ['train', '--dataset', String(datasetId), '--epochs', '40', '--hidden', '16'],
      { detached },
    )
    const { runId } = await seen
    const trainer = await waitFor('the training process to store an epoch', () => {
      const row = peek<{ pid: number | null; epochs: number }>(
        db,
        `SELECT pid, (SELECT count(*) FROM epochs WHERE run_id = ${runId}) AS epochs FROM runs WHERE id = ${runId}`,
      )
      return row && row.pid !== null && row.epochs > 0 ? row.pid : undefined
    })
    return { db, app, runId, command, trainer }
  }

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }

  it('is noticed by the app as interrupted, keeps its epochs, and continues there', async () => {
    const { app, runId, command, trainer } = await trainingElsewhere(false)
    const ended = until(app, 'training:status', (s) => s.runId === runId && s.status !== 'running')
    command.child.kill('SIGKILL')
    const status = await ended
    expect(status.status).toBe('interrupted')
    expect(status.error).toMatch(/kept/)
    await waitFor('the orphaned training process to leave', () =>
      alive(trainer) ? undefined : true,
    )
    const run = (await call(app, 'runs.get', { id: runId })) as RunSummary
    expect(run.status).toBe('interrupted')
    const kept = run.epochs
    expect(kept).toBeGreaterThan(0)

    const done = until(app, 'training:status', (s) => s.runId === runId && s.status !== 'running')
    await call(app, 'runs.continue', { id: runId })
    expect((await done).status).toBe('completed')
    const epochs = (await call(app, 'runs.epochs', { id: runId })) as unknown[]
    expect(epochs).toHaveLength(40)
  })

  it('killed with its training process, is recovered by the app and can be deleted', async () => {
    const { app, runId, command, trainer } = await trainingElsewhere(true)
    await expect(call(app, 'runs.delete', { id: runId })).rejects.toThrow(/training in a/)
    const ended = until(app, 'training:status', (s) => s.runId === runId && s.status !== 'running')
    process.kill(-command.child.pid!, 'SIGKILL') // the command and its training process
    await waitFor('both processes to die', () => (alive(trainer) ? undefined : true))
    const status = await ended
    expect(status).toMatchObject({ status: 'interrupted' })
    expect(status.error).toMatch(/training in a `studio` command \(process \d+\), which ended/)
    expect(await call(app, 'runs.delete', { id: runId })).toEqual({ deleted: true })
  })
})

describe.skipIf(Boolean(skipReason))('the app in a browser, beside a killed command', () => {
  it('shows the run training elsewhere, then interrupted with Continue and Delete', async () => {
    const work = workDir()
    const db = join(work, 'ws.sqlite')
    const { datasetId } = studioCli(db, 'import', ...sampleFiles) as { datasetId: number }
    const server = await startServe(db)
    const browser = await launchBrowser()
    cleanups.push(() => void browser.close().then(() => server.stop()))
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await openStart(page, server.url)
    const command = startCli(db, [
      'train',
      ...['--dataset', String(datasetId), '--epochs', '60', '--hidden', '16'],
    ])
    const runId = await waitFor('the command to store an epoch', () => {
      const row = peek<{ id: number }>(
        db,
        `SELECT r.id FROM runs r WHERE EXISTS (SELECT 1 FROM epochs e WHERE e.run_id = r.id)`,
      )
      return row?.id
    })
    await openHash(page, `#/runs/${runId}`)
    await page.locator('[data-testid="run-status"][data-status="running"]').first().waitFor()
    command.child.kill('SIGKILL')
    // the run's page learns of the end from the server, which saw the command's process go; an
    // owner whose pid check is starved is judged gone by its 30 s lease at the latest, so allow
    // that and the next check (the full e2e run on 2 busy cores took 37 s once)
    await page.getByRole('button', { name: /Continue from epoch/ }).waitFor({ timeout: 90_000 })
    await page.locator('[data-testid="run-status"][data-status="interrupted"]').first().waitFor()
    await page.screenshot({ path: join(root, 'test-results', 'e2e', 'shared-interrupted.png') })
    await openHash(page, `#/train?dataset=${datasetId}&run=${runId}`)
    const panel = page.getByTestId('run-interrupted')
    await panel.getByTestId('continue-button').waitFor()
    await panel.getByTestId('interrupted-delete-button').click()
    await page.getByTestId('confirm-ok').click()
    await expect.poll(() => peek<{ n: number }>(db, `SELECT count(*) AS n FROM runs`)?.n).toBe(0)
  }, 180_000)
})
