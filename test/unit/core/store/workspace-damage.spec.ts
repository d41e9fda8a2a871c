// A workspace file that is no SQLite database, or whose pages are damaged, is refused with a
// message naming the file and what to do, and is left exactly as it was.
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../../main/core/errors'
import { DatasetsStore } from '../../../../main/core/store/datasets-store'
import { openWorkspace } from '../../../../main/core/store/workspace'
import { tempWorkspaceFile } from '../../../helpers/temp'
import { digest, overwrite, workspaceWithData } from '../../../helpers/workspace'

/** Opening `file` as the app does throws this StudioError; the file's bytes stay the same. */
function refusal(file: string): StudioError {
  const before = digest(file)
  let thrown: unknown
  try {
    openWorkspace(file, { check: true }).close()
  } catch (error) {
    thrown = error
  }
  expect(digest(file)).toBe(before)
  expect(thrown).toBeInstanceOf(StudioError)
  return thrown as StudioError
}

describe('a workspace file that is not a SQLite database', () => {
  const cases: [string, (file: string) => void][] = [
    [
      'random bytes',
      (file) =>
        writeFileSync(
          file,
          Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256)),
        ),
    ],
    ['a text file', (file) => writeFileSync(file, 'name,label\nshirt.png,Shirt\n'.repeat(200))],
    [
      'a workspace whose first page was zeroed',
      (file) => {
        const real = workspaceWithData(50)
        writeFileSync(file, readFileSync(real))
        overwrite(file, 0, Buffer.alloc(4096))
      },
    ],
  ]
  it.each(cases)('%s is refused as no workspace, naming the file and what to do', (_, make) => {
    const file = tempWorkspaceFile()
    make(file)
    const error = refusal(file)
    expect(error.code).toBe('corrupt')
    expect(error.message).toContain(file)
    expect(error.message).toMatch(/not a SQLite database/)
    expect(error.message).toMatch(/--db/)
    expect(error.message).toMatch(/backup/)
  })
})

describe('a damaged workspace', () => {
  it('opens and passes the check while sound', () => {
    const file = workspaceWithData()
    const db = openWorkspace(file, { check: true })
    expect(new DatasetsStore(db).list().map((d) => [d.name, d.items])).toEqual([['kept', 2000]])
    db.close()
  })

  it('is refused when pages in its middle are overwritten, and left as it is', () => {
    const file = workspaceWithData()
    const pages = statSync(file).size / 4096
    overwrite(file, Math.floor(pages / 2) * 4096, Buffer.alloc(4 * 4096, 0xa5))
    const error = refusal(file)
    expect(error.code).toBe('corrupt')
    expect(error.message).toContain(`The workspace ${file} is damaged`)
    expect(error.message).toMatch(/left exactly as it is/)
    expect(error.message).toMatch(/backup/)
    expect(error.message).not.toMatch(/\*\*\*/)
  })

  it('is refused when the file was cut short', () => {
    const file = workspaceWithData()
    truncateSync(file, Math.floor(statSync(file).size / 2))
    const error = refusal(file)
    expect(error.code).toBe('corrupt')
    expect(error.message).toContain(`The workspace ${file} is damaged`)
  })
})
