// A disk that fills up while a run trains: the run stops as interrupted, keeps its epochs and
// the checkpoint that goes with them, and continues to the end once there is room again. The
// workspace lives on a small tmpfs of its own, filled by a file beside it, as a download would.
import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { Studio } from '../../main/core/service'
import type { RunSummary } from '../../main/core/shared/runs'
import { call, sampleFiles, until } from '../helpers/studio'

/** A 64 MiB tmpfs, or why there can be none here (mounting needs root). */
function smallDisk(): { dir: string; unmount(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'studio-full-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir], { stdio: 'pipe' })
  } catch (error) {
    rmdirSync(dir)
    return `a small disk cannot be mounted here (${String(error).split('\n')[0]}); it needs root`
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir])
      rmdirSync(dir)
    },
  }
}

/** Writes zeros into `file` until the disk refuses even one more byte. */
function fill(file: string): void {
  const fd = openSync(file, 'w')
  try {
    for (let size = 1 << 20; size >= 1; size >>= 4) {
      const block = Buffer.alloc(size)
      try {
        for (;;) writeSync(fd, block)
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error
      }
    }
  } finally {
    closeSync(fd)
  }
}

async function waitFor<T>(read: () => T | undefined): Promise<T> {
  for (;;) {
    const value = read()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('a full disk while training', () => {
  it(
    'interrupts the run with its checkpoint kept, and it continues once there is room',
    { timeout: 180_000 },
    async ({ skip }) => {
      const disk = smallDisk()
      if (typeof disk === 'string') return skip(disk)
      const studio = new Studio({
        workspaceFile: join(disk.dir, 'ws.sqlite'),
        resourcesDir: join(import.meta.dirname, '..', '..', 'resources'),
        shell: 'test',
        version: 'test',
      })
      onTestFinished(() => {
        studio.close()
        disk.unmount()
      })
      const { datasetId } = (await call(studio, 'datasets.import', { paths: sampleFiles })) as {
        datasetId: number
      }
      const config = { hidden: [256], latent: 32, epochs: 12, seed: 1 }
      const firstEpoch = until(studio, 'training:epoch')
      const stopped = until(studio, 'training:status', (s) => s.status !== 'running')
      const run = (await call(studio, 'runs.start', { datasetId, config })) as RunSummary
      await firstEpoch
      const filler = join(disk.dir, 'download.bin')
      fill(filler)
      const status = await stopped
      expect(status).toMatchObject({ status: 'interrupted' })
      expect(status.error).toMatch(/disk is full/)

      rmSync(filler) // the user makes room
      const kept = await waitFor(() => {
        const stored = studio.runs.get(run.id)
        return stored.status === 'interrupted' ? stored : undefined
      })
      expect(kept.epochs).toBeGreaterThan(0)
      expect(kept.epochs).toBeLessThan(12)
      expect(studio.runs.checkpoint(run.id, 'last')!.epoch).toBe(kept.epochs)

      const done = until(studio, 'training:status', (s) => s.status !== 'running')
      await call(studio, 'runs.continue', { id: run.id })
      expect(await done).toMatchObject({ status: 'completed' })
      expect(studio.runs.epochs(run.id)).toHaveLength(12)
    },
  )
})
