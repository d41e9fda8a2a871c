// The soft size budget: no source file over 400 lines. The files already over it are listed with
// the size they had when the budget came in; each may shrink (then lower its line here, or drop
// it once it is under 400) but never grow, and no other file may pass 400.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const budget = 400

/** Over budget when it came in: to be split, never to grow. */
const oversized: Record<string, number> = {}

function sourceFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
  return listed
    .split('\n')
    .filter((file) => /^(main|renderer|preload)\/.*\.(ts|vue|js|mjs)$/.test(file))
}

const lines = (file: string) => readFileSync(join(root, file), 'utf8').split('\n').length - 1

describe('the size budget', () => {
  it(`keeps every source file under ${budget} lines, and the ones over it from growing`, () => {
    const over = sourceFiles()
      .map((file) => ({ file, lines: lines(file) }))
      .filter(({ file, lines }) => lines > (oversized[file] ?? budget))
      .map(({ file, lines }) => `${file}: ${lines} lines (at most ${oversized[file] ?? budget})`)
    expect(over).toEqual([])
  })

  it('lists only files that are still over the budget', () => {
    const done = Object.keys(oversized).filter((file) => lines(file) <= budget)
    expect(done, 'under the budget now: drop them from the list').toEqual([])
  })
})
