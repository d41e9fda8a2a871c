import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

/** A fresh temporary folder, removed when the current test finishes. */
export function tempDir(prefix = 'studio-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The path of a workspace file in a fresh temporary folder. */
export function tempWorkspaceFile(): string {
  return join(tempDir(), 'workspace.sqlite')
}
