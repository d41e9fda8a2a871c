import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The app's folder (where package.json and resources/ are), from the source or the built file. */
export function appRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && existsSync(join(dir, 'resources'))) return dir
    if (dirname(dir) === dir) throw new Error(`Cannot find the app folder above ${from}`)
  }
}

export function appVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version
}
