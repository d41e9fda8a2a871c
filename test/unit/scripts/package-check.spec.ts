// The package check must fail a package the app could not run from.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createPackageWithOptions } from '@electron/asar'
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import {
  problemsOf,
  rendererOnlyPackages,
  standInElectron,
} from '../../../main/scripts/package-check'
import { tempDir } from '../../helpers/temp'

function write(file: string, text = 'x') {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

describe('package:check', () => {
  it('names missing run-time files, packed natives, test files and fuses left on', async () => {
    const dir = tempDir()
    const app = join(dir, 'app')
    write(join(app, 'out', 'main', 'index.js'))
    write(join(app, 'out', 'main', 'project-process.js'))
    write(join(app, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))
    write(join(app, 'node_modules', 'better-sqlite3', 'test', 'basic.js'))
    write(join(app, 'node_modules', 'three', 'package.json'), '{}')
    const pkg = join(dir, 'linux-unpacked')
    await createPackageWithOptions(app, join(pkg, 'resources', 'app.asar'), {})
    const executable = join(standInElectron(pkg), 'electron')
    await flipFuses(executable, { version: FuseVersion.V1, [FuseV1Options.RunAsNode]: true })

    const problems = await problemsOf(pkg, executable)

    expect(problems).toContain('missing at run time: resources/app.asar/out/main/train-process.js')
    expect(problems).not.toContain(
      'missing at run time: resources/app.asar/out/main/project-process.js',
    )
    expect(problems).toContain(
      'missing at run time: resources/sample/fashion-mnist/sample-images-idx3-ubyte.gz',
    )
    expect(problems).toContain(
      'packed, cannot load: /node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    )
    expect(problems).toContain(
      'test or benchmark file in app.asar: /node_modules/better-sqlite3/test/basic.js',
    )
    expect(problems).toContain('fuse RunAsNode is not false')
    expect(problems).toContain('renderer library in app.asar (make it a devDependency): three')
  })

  it("keeps the renderer's libraries out of package.json's dependencies", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8'))
    for (const name of rendererOnlyPackages) {
      expect(pkg.dependencies, name).not.toHaveProperty([name])
      expect(pkg.devDependencies, name).toHaveProperty([name])
    }
  })

  it('passes natives that were unpacked, and the fuses once flipped as electron-builder.yml says', async () => {
    const dir = tempDir()
    const app = join(dir, 'app')
    for (const native of [
      'better-sqlite3/build/Release/better_sqlite3.node',
      '@img/sharp-linux-x64/lib/sharp-linux-x64.node',
      '@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.17.3',
    ])
      write(join(app, 'node_modules', native))
    const pkg = join(dir, 'linux-unpacked')
    await createPackageWithOptions(app, join(pkg, 'resources', 'app.asar'), {
      unpack: '**/node_modules/{better-sqlite3,@img}/**',
    })
    const executable = join(standInElectron(pkg), 'electron')
    await flipFuses(executable, {
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    })

    const problems = await problemsOf(pkg, executable)

    expect(problems.filter((p) => !p.startsWith('missing at run time'))).toEqual([])
  })
})
