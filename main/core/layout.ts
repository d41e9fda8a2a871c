// Where the app finds its own files at run time: the compute processes and worker threads that
// electron.vite.config.ts builds into out/main/, the preload, the renderer and the bundled sample.
// The app resolves them here, and main/scripts/package-check.ts checks a package by the same
// functions, so a path that moves cannot leave the installers broken.
import { basename, dirname, join } from 'node:path'
import type { ProcessEntry } from './jobs/spawner'

export const processNames = ['train', 'project', 'cluster', 'decode'] as const
export type ProcessName = (typeof processNames)[number]

export const workerNames = ['knn', 'kmeans', 'n2d', 'decode', 'train'] as const
export type WorkerName = (typeof workerNames)[number]

/** Each compute process's source, from main/core. */
const processSources: Record<ProcessName, string> = {
  train: join('training', 'train.process.ts'),
  project: join('projection', 'project.process.ts'),
  cluster: join('clustering', 'cluster.process.ts'),
  decode: join('reconstruction', 'decode.process.ts'),
}

/** The bundled sample: Fashion-MNIST test images with their labels (LICENSE beside them). */
export const sampleFiles = ['sample-images-idx3-ubyte.gz', 'sample-labels-idx1-ubyte.gz']

export function sampleDir(resourcesDir: string): string {
  return join(resourcesDir, 'sample', 'fashion-mnist')
}

/** The built main folder (out/main), from a module bundled into it or into its chunks/. */
export function builtMainDir(moduleDir: string = import.meta.dirname): string {
  return basename(moduleDir) === 'chunks' ? dirname(moduleDir) : moduleDir
}

export function builtProcess(builtDir: string, name: ProcessName): string {
  return join(builtDir, `${name}-process.js`)
}

export function builtWorker(builtDir: string, name: WorkerName): string {
  return join(builtDir, `${name}-worker.js`)
}

/**
 * A compute process's script: the built out/main/<name>-process.js beside the built app (inside
 * app.asar when packaged); the TypeScript source, through tsx, beside the source.
 */
export function processEntry(name: ProcessName): ProcessEntry {
  if (import.meta.url.endsWith('.ts'))
    return { path: join(import.meta.dirname, processSources[name]), execArgv: ['--import', 'tsx'] }
  return { path: builtProcess(builtMainDir(), name), execArgv: [] }
}

/** The renderer's folder and the preload script, in the app's root (the asar when packaged). */
export function uiPaths(appRoot: string): { preload: string; renderer: string } {
  return {
    preload: join(appRoot, 'out', 'preload', 'index.cjs'),
    renderer: join(appRoot, 'out', 'renderer'),
  }
}

/** Every file the built app opens by path at run time, for checking a package. */
export function runtimeFiles(appRoot: string, resourcesDir: string): string[] {
  const builtDir = join(appRoot, 'out', 'main')
  const { preload, renderer } = uiPaths(appRoot)
  return [
    join(builtDir, 'index.js'),
    ...processNames.map((name) => builtProcess(builtDir, name)),
    ...workerNames.map((name) => builtWorker(builtDir, name)),
    preload,
    join(renderer, 'index.html'),
    ...sampleFiles.map((file) => join(sampleDir(resourcesDir), file)),
  ]
}
