import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { onTestFinished } from 'vitest'

const run = (...args: string[]) => spawnSync(args[0], args.slice(1), { encoding: 'utf8' })

/** Why a read-only disk cannot be made here (mounting a tmpfs needs root); undefined if it can. */
export const noReadOnlyDisk: string | undefined = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-mount-probe-'))
  const mounted = run('mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir)
  if (mounted.status === 0) run('umount', dir)
  rmdirSync(dir)
  return mounted.status === 0
    ? undefined
    : `a read-only disk needs \`mount -t tmpfs\`, not permitted here: ${mounted.stderr.trim()}`
})()

/** Why files cannot be made read-only for this process (root writes them anyway). */
export const noReadOnlyFile: string | undefined =
  process.getuid?.() === 0 ? 'root writes read-only files, so chmod cannot make one' : undefined

/**
 * Copies `files` onto a fresh tmpfs, remounts it read-only and gives the copies' paths; unmounts
 * it when the test ends. Only where noReadOnlyDisk is undefined.
 */
export function onReadOnlyDisk(...files: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'studio-ro-disk-'))
  const mounted = run('mount', '-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir)
  if (mounted.status !== 0) throw new Error(`mount: ${mounted.stderr}`)
  onTestFinished(() => {
    run('umount', dir)
    rmdirSync(dir)
  })
  const copies = files.map((file) => join(dir, basename(file)))
  files.forEach((file, i) => copyFileSync(file, copies[i]))
  const remounted = run('mount', '-o', 'remount,ro', dir)
  if (remounted.status !== 0) throw new Error(`remount: ${remounted.stderr}`)
  return copies
}
