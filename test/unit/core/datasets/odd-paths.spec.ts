// Paths that are not regular files, and names that are not UTF-8 (issue 14, part 3): refused
// with their true reason, without blocking on a pipe or reading a device that never ends.
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readRegularFileSync } from '../../../../main/core/datasets/files'
import { importDataset } from '../../../../main/core/datasets/import'
import { imageOutcome } from '../../../../main/core/datasets/tasks'
import { writeImage } from '../../../fixtures/images'
import { tempDir } from '../../../helpers/temp'
import { allItems, baseOptions, openStore } from './workspace'

const posix = process.platform !== 'win32'

/** A named pipe that nothing writes to: opening or reading it the ordinary way blocks. */
function fifo(dir: string, name: string): string {
  const path = join(dir, name)
  execFileSync('mkfifo', [path])
  return path
}

const pipeReason = 'not a regular file (a named pipe): only files and folders can be imported'
const deviceReason = 'not a regular file (a device): only files and folders can be imported'

describe.runIf(posix)('paths that are not regular files', () => {
  it('skips a named pipe given beside an image, and one inside a folder', async () => {
    const dir = tempDir()
    const image = await writeImage(dir, 'a.png', 8, 8)
    const pipe = fifo(dir, 'pipe.png')
    const given = fifo(tempDir(), 'given')
    const { store } = openStore()
    const result = await importDataset(store, [dir, given], baseOptions)
    expect(allItems(store, result.datasetId).paths).toEqual([image])
    expect(result.skipped).toEqual(
      [
        { path: pipe, reason: pipeReason },
        { path: given, reason: pipeReason },
      ].sort((a, b) => (a.path < b.path ? -1 : 1)),
    )
  })

  it('refuses /dev/zero given alone, and a link to it inside a folder, as devices', async () => {
    const { store } = openStore()
    await expect(importDataset(store, ['/dev/zero'], baseOptions)).rejects.toMatchObject({
      code: 'not-readable',
      message: `/dev/zero cannot be imported: ${deviceReason}.`,
    })
    const dir = tempDir()
    await writeImage(dir, 'a.png', 8, 8)
    symlinkSync('/dev/zero', join(dir, 'zero.png'))
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(1)
    expect(result.skipped).toEqual([{ path: join(dir, 'zero.png'), reason: deviceReason }])
  })

  it('does not block reading a file that became a pipe after the scan', async () => {
    const pipe = fifo(tempDir(), 'late.png')
    const source = { kind: 'image', path: pipe, label: null, ext: '.png', units: 1 } as const
    const skipped = [{ kind: 'skipped', path: pipe, reason: pipeReason, units: 1 }]
    expect(await imageOutcome(source, baseOptions)).toEqual(skipped)
    // the worker threads' synchronous read
    expect(await imageOutcome(source, baseOptions, readRegularFileSync)).toEqual(skipped)
  })
})

describe.runIf(process.platform === 'linux')('names that are not UTF-8', () => {
  it('skips a file and a folder whose names are not UTF-8, saying so', async () => {
    const dir = tempDir()
    const image = await writeImage(dir, 'ok.png', 8, 8)
    const bytes = (name: number[]) => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(name)])
    // "caf\xe9.png" and "\xe9t\xe9" as Latin-1 would write them
    writeFileSync(bytes([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x70, 0x6e, 0x67]), 'x')
    mkdirSync(bytes([0xe9, 0x74, 0xe9]))
    writeFileSync(Buffer.concat([bytes([0xe9, 0x74, 0xe9]), Buffer.from('/b.png')]), 'x')
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(allItems(store, result.datasetId).paths).toEqual([image])
    expect(result.skipped.map((s) => s.reason).sort()).toEqual([
      "the file's name is not valid UTF-8 text, so it cannot be opened here: rename it and import again",
      "the folder's name is not valid UTF-8 text, so it cannot be opened here: rename it and import again",
    ])
  })
})
