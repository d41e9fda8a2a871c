// The built `studio` on a workspace it cannot write or cannot trust: a read-only one is listed
// and exported from, what would change it is refused with the reason; a corrupt one is refused
// with a message, on stderr, and a non-zero exit. `studio serve` shows a read-only workspace's
// banner: test-results/e2e/read-only-banner.png.
import { spawnSync } from 'node:child_process'
import Database from 'better-sqlite3'
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { noReadOnlyDisk, noReadOnlyFile, onReadOnlyDisk } from '../helpers/read-only'
import { digest, overwrite } from '../helpers/workspace'
import { launchBrowser, skipReason } from './browser'
import { importSample, openStart, studioCli } from './cli'
import { startServe } from './server'

const root = join(import.meta.dirname, '..', '..')
const cli = join(root, 'out', 'main', 'cli.js')
const shots = join(root, 'test-results', 'e2e')
const work = mkdtempSync(join(tmpdir(), 'studio-read-only-'))
const db = join(work, 'workspace.sqlite')
let runId: number

beforeAll(() => {
  runId = importSample(db).train('--preset', 'quick-look', '--epochs', '1')
  studioCli(db, 'cluster', '--run', String(runId), '--k', '3')
  // Everything is committed, but the clustering process may still hold the workspace open, so
  // the last commits can sit in its -wal file: move them into the file the tests copy.
  const raw = new Database(db)
  raw.pragma('wal_checkpoint(TRUNCATE)')
  raw.close()
}, 300_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

function studio(file: string, ...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args, '--db', file], { encoding: 'utf8' })
}

/** A copy of the workspace made read-only: on a read-only disk, or by its permissions. */
const places: [string, string | undefined, RegExp, (copy: string) => string][] = [
  [
    'on a read-only disk',
    noReadOnlyDisk,
    /\(it is on a read-only disk\)/,
    (copy) => onReadOnlyDisk(copy)[0],
  ],
  [
    'a read-only file',
    noReadOnlyFile,
    /\(the file is read-only\)/,
    (copy) => {
      chmodSync(copy, 0o444)
      return copy
    },
  ],
]

describe.each(places)('a workspace %s', (_, skip, reason, makeReadOnly) => {
  it('is listed and exported from; import and train are refused with the reason', (ctx) => {
    if (skip) ctx.skip(skip)
    const dir = mkdtempSync(join(work, 'place-'))
    const copy = join(dir, 'copy.sqlite')
    copyFileSync(db, copy)
    const file = makeReadOnly(copy)
    const before = digest(file)

    expect(studioCli(file, 'datasets')).toEqual(studioCli(db, 'datasets'))
    expect(studioCli(file, 'runs')).toEqual(studioCli(db, 'runs'))
    const out = join(dir, 'out')
    mkdirSync(out)
    const embeddings = join(out, 'codes.csv')
    studioCli(file, 'export', 'embeddings', '--run', String(runId), '--out', embeddings)
    expect(readFileSync(embeddings, 'utf8').trim().split('\n')).toHaveLength(1 + 2000)
    const clusters = join(out, 'clusters.csv')
    studioCli(file, 'export', 'clusters', '--run', String(runId), '--out', clusters)
    expect(readFileSync(clusters, 'utf8').trim().split('\n')).toHaveLength(1 + 2000)

    for (const args of [
      ['import', join(root, 'resources', 'sample', 'fashion-mnist')],
      ['train', '--dataset', '1', '--epochs', '1'],
      ['cluster', '--run', String(runId), '--k', '4'],
    ]) {
      const refused = studio(file, ...args)
      expect(refused.status).toBe(1)
      expect(refused.stdout).toBe('')
      expect(refused.stderr).toMatch(/^error: The workspace .* is read-only /)
      expect(refused.stderr).toMatch(reason)
      expect(refused.stderr).not.toMatch(/\n\s+at /) // no stack trace
    }
    expect(digest(file)).toBe(before)
    expect(studioCli(file, 'datasets')).toEqual(studioCli(db, 'datasets'))
  })
})

describe('studio serve on a read-only workspace', () => {
  it('shows a banner saying it is read-only, and why', async (ctx) => {
    if (noReadOnlyDisk) ctx.skip(noReadOnlyDisk)
    if (skipReason) ctx.skip(skipReason)
    const [file] = onReadOnlyDisk(db)
    const server = await startServe(file)
    const browser = await launchBrowser()
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 700 } })
      await openStart(page, server.url)
      const banner = page.getByTestId('read-only-banner')
      await banner.waitFor()
      expect(await banner.textContent()).toMatch(/it is on a read-only disk: you can browse/)
      const [dataset] = studioCli(db, 'datasets') as { name: string }[]
      await page.getByText(dataset.name).first().waitFor()
      // what would change it is not offered
      expect(await page.getByTestId('import-button').isDisabled()).toBe(true)
      mkdirSync(shots, { recursive: true })
      await page.screenshot({ path: join(shots, 'read-only-banner.png') })
    } finally {
      await browser.close()
      await server.stop()
    }
  })
})

describe('a workspace that is corrupt', () => {
  const cases: [string, RegExp, (file: string) => void][] = [
    [
      'a text file',
      /is not an Autoencoder Studio workspace/,
      (file) => writeFileSync(file, 'not a workspace\n'),
    ],
    [
      'one with pages overwritten in its middle',
      /^error: The workspace .* is damaged \(/,
      (file) => {
        copyFileSync(db, file)
        const pages = statSync(file).size / 4096
        overwrite(file, Math.floor(pages / 2) * 4096, Buffer.alloc(4 * 4096, 0xa5))
      },
    ],
  ]
  it.each(cases)('%s: `studio datasets` says so on stderr and exits 1', (_, message, make) => {
    const file = join(mkdtempSync(join(work, 'corrupt-')), 'workspace.sqlite')
    make(file)
    const before = digest(file)
    const result = studio(file, 'datasets')
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(message)
    expect(result.stderr).toContain(file)
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(digest(file)).toBe(before)
  })
})
