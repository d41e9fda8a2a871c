// Where a worker thread's script is: the built out/main/<name>-worker.js, or from
// source <name>.worker.ts through tsx; null if neither (the caller then works on one thread).
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { builtMainDir, builtWorker, type WorkerName } from './layout'

/** A script path, or (from source) a small script to evaluate. */
export interface WorkerEntry {
  script: string
  eval: boolean
}

/**
 * The worker `name` (an electron-vite entry `<name>-worker`); from source, `<name>.worker.ts`
 * in `sourceDir`, the asking module's folder.
 */
export function workerEntry(name: WorkerName, sourceDir: string): WorkerEntry | null {
  if (import.meta.url.endsWith('.ts')) {
    // On Node 20 a worker ignores `--import tsx` hooks, so it registers tsx's require hook itself.
    const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api')
    const source = join(sourceDir, `${name}.worker.ts`)
    return {
      script: `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)})`,
      eval: true,
    }
  }
  // the bundler may put the module that asks in out/main/ or in out/main/chunks/
  const script = builtWorker(builtMainDir(import.meta.dirname), name)
  return existsSync(script) ? { script, eval: false } : null
}
