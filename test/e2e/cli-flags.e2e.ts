// The built command line refuses a number flag that is not a number, naming the flag, before it
// opens a workspace or starts any work.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const cli = join(import.meta.dirname, '..', '..', 'out', 'main', 'cli.js')
const folder = mkdtempSync(join(tmpdir(), 'studio-flags-'))
const db = join(folder, 'ws.sqlite')
afterAll(() => rmSync(folder, { recursive: true, force: true }))

function studio(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args, '--db', db], { encoding: 'utf8' })
}

describe('number flags on the command line', () => {
  it.each([
    ['train', '--dataset', '1', '--lr', 'abc'],
    ['train', '--dataset', '1', '--epochs', '2x'],
    ['cluster', '--run', '1', '--k', 'ten'],
    ['cluster', '--run', '1', '--k', '10', '--method', 'n2d', '--runs', 'five'],
    ['project', '--run', 'first'],
  ])('%s … refuses a value that is not a number, naming the flag', (...args) => {
    const result = studio(...args)
    const [flag, value] = args.slice(-2)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(`option '${flag} <`)
    expect(result.stderr).toContain(`argument '${value}' is invalid. expected a number.`)
    expect(existsSync(db)).toBe(false)
  })
})
