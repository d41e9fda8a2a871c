// The package check must fail a package the app could not run from, and electron-builder.yml's
// files must leave each package only its own platform's native binaries.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createPackageWithOptions } from '@electron/asar'
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses'
import { FileMatcher } from 'app-builder-lib/out/fileMatcher'
import { expandMacro } from 'app-builder-lib/out/util/macroExpander'
import { describe, expect, it } from 'vitest'
import {
  isForeign,
  leftOut,
  problemsOf,
  rendererOnlyPackages,
  standInElectron,
} from '../../../main/scripts/package-check'
import { tempDir } from '../../helpers/temp'

function write(file: string, text = 'x') {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

/**
 * A package laid out as electron-builder would: `files` (paths in the app, each holding 'x' or
 * the text given) in app.asar, those `unpack` matches beside it, and a stand-in Electron.
 */
async function packageOf(files: (string | [path: string, text: string])[], unpack?: string) {
  const dir = tempDir()
  const app = join(dir, 'app')
  for (const file of files)
    if (typeof file === 'string') write(join(app, file))
    else write(join(app, file[0]), file[1])
  const pkg = join(dir, 'linux-unpacked')
  await createPackageWithOptions(app, join(pkg, 'resources', 'app.asar'), unpack ? { unpack } : {})
  return { dir, app, pkg, executable: join(standInElectron(pkg), 'electron') }
}
const modules = (paths: string[]) => paths.map((path) => join('node_modules', path))

describe('package:check', () => {
  it('names missing run-time files, packed natives, test files and fuses left on', async () => {
    const { pkg, executable } = await packageOf([
      'out/main/index.js',
      'out/main/project-process.js',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3/test/basic.js',
      ['node_modules/three/package.json', '{}'],
    ])
    await flipFuses(executable, { version: FuseVersion.V1, [FuseV1Options.RunAsNode]: true })

    const problems = await problemsOf(pkg, executable, 'x64')

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
    const { pkg, executable } = await packageOf(
      modules([
        'better-sqlite3/build/Release/better_sqlite3.node',
        '@img/sharp-linux-x64/lib/sharp-linux-x64.node',
        '@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.17.3',
        'webgpu/dist/linux-x64/dawn.node',
      ]),
      '**/node_modules/{better-sqlite3,@img,webgpu}/**',
    )
    await flipFuses(executable, {
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    })

    const problems = await problemsOf(pkg, executable, 'x64')

    expect(problems.filter((p) => !p.startsWith('missing at run time'))).toEqual([])
  })

  it("names a missing or packed dawn.node, and every other platform's binary", async () => {
    const { dir, app, pkg, executable } = await packageOf(
      modules([
        'better-sqlite3/build/Release/better_sqlite3.node',
        '@img/sharp-linux-x64/lib/sharp-linux-x64.node',
        '@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.17.3',
        '@img/sharp-linuxmusl-x64/lib/sharp-linuxmusl-x64.node',
        'webgpu/dist/linux-x64/dawn.node',
        'webgpu/dist/linux-arm64/dawn.node',
        'webgpu/dist/darwin-universal/dawn.node',
        'webgpu/dist/win32-x64/dawn.node',
        'webgpu/dist/win32-x64/dxcompiler.dll',
        'onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node',
      ]),
      // dawn.node left inside the archive: the OS cannot load it from there
      '**/node_modules/{better-sqlite3,@img,onnxruntime-node}/**',
    )

    const problems = await problemsOf(pkg, executable, 'x64')
    const foreign = problems.filter((p) => p.startsWith("another platform's binary"))

    expect(problems).toContain('packed, cannot load: /node_modules/webgpu/dist/linux-x64/dawn.node')
    expect(foreign.map((p) => p.replace(/.*node_modules\//, '')).sort()).toEqual([
      '@img/sharp-linuxmusl-x64/lib/sharp-linuxmusl-x64.node',
      'onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node',
      'webgpu/dist/darwin-universal/dawn.node',
      'webgpu/dist/linux-arm64/dawn.node',
      'webgpu/dist/win32-x64/dawn.node',
      'webgpu/dist/win32-x64/dxcompiler.dll',
    ])
    // for arm64, the x64 one is the stranger, and the arm64 one is needed
    const arm = await problemsOf(pkg, executable, 'arm64')
    expect(arm).toContain(
      "another platform's binary: /node_modules/webgpu/dist/linux-x64/dawn.node",
    )
    expect(arm).not.toContain(
      "another platform's binary: /node_modules/webgpu/dist/linux-arm64/dawn.node",
    )
    expect(arm.some((p) => p.startsWith('no native binary') && p.includes('dawn'))).toBe(false)
    // and without any dawn.node the package fails
    const none = join(dir, 'none')
    await createPackageWithOptions(
      join(app, 'node_modules', 'better-sqlite3'),
      join(none, 'resources', 'app.asar'),
      { unpack: '**' },
    )
    const noDawn = await problemsOf(none, join(standInElectron(none), 'electron'), 'x64')
    expect(noDawn.some((p) => p.startsWith('no native binary') && p.includes('dawn'))).toBe(true)
  })

  it('macOS keeps its universal binaries for both CPUs; Windows keeps its DLLs', () => {
    const mac = (arch: string) => ({ platform: 'darwin', arch })
    expect(isForeign('webgpu/dist/darwin-universal/dawn.node', mac('arm64'))).toBe(false)
    expect(isForeign('webgpu/dist/darwin-universal/dawn.node', mac('x64'))).toBe(false)
    expect(isForeign('@img/sharp-darwin-x64/lib/sharp-darwin-x64.node', mac('arm64'))).toBe(true)
    const win = { platform: 'win32', arch: 'arm64' }
    expect(isForeign('webgpu/dist/win32-arm64/dxcompiler.dll', win)).toBe(false)
    expect(isForeign('webgpu/dist/win32-x64/dxcompiler.dll', win)).toBe(true)
    expect(isForeign('better-sqlite3/build/Release/better_sqlite3.node', win)).toBe(false)
  })

  it('counts what the package left out of the packages it holds', () => {
    const modules = join(tempDir(), 'node_modules')
    write(join(modules, 'webgpu', 'dist', 'linux-x64', 'dawn.node'), 'here')
    write(join(modules, 'webgpu', 'dist', 'win32-x64', 'dawn.node'), 'not here')
    write(join(modules, 'unpackaged', 'dist', 'win32-x64', 'x.node'), 'not packaged at all')
    const packaged = ['/node_modules/webgpu/dist/linux-x64/dawn.node']

    const out = leftOut(modules, packaged, { platform: 'linux', arch: 'x64' })

    expect(out.files.map((f) => f.slice(modules.length + 1).replaceAll('\\', '/'))).toEqual([
      'webgpu/dist/win32-x64/dawn.node',
    ])
    expect(out.bytes).toBe('not here'.length)
  })
})

// js-yaml (electron-builder's own YAML reader) ships no types; the one function used is typed here
const yaml = 'js-yaml'
const { load } = (await import(yaml)) as { load(text: string): unknown }

describe("electron-builder.yml's files", () => {
  const root = join(import.meta.dirname, '../../..')
  const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
    files: string[]
  }
  /**
   * Whether electron-builder copies a node_modules path into a package built on `platform` for
   * `arch`: its own matcher over the excludes of `files` (only excludes act on node_modules), with
   * its macros; ${platform} is the building machine's, so it is given here.
   */
  function packaged(platform: string, arch: string) {
    const expand = (pattern: string) =>
      expandMacro(pattern.replaceAll('${platform}', platform), arch, {} as never, {
        os: { darwin: 'mac', win32: 'win', linux: 'linux' }[platform]!,
        '/*': '{,/**/*}',
      })
    const excludes = config.files.filter((pattern) => pattern.startsWith('!'))
    const filter = new FileMatcher(root, root, expand, ['**/*', ...excludes]).createFilter()
    return (path: string, isDirectory = true) =>
      filter(join(root, path), { isDirectory: () => isDirectory } as never)
  }
  const targets = [
    ['linux', 'x64'],
    ['linux', 'arm64'],
    ['win32', 'x64'],
    ['win32', 'arm64'],
    ['darwin', 'x64'],
    ['darwin', 'arm64'],
  ]
  const webgpuDist = join(root, 'node_modules', 'webgpu', 'dist')
  const dawnFolders = existsSync(webgpuDist)
    ? readdirSync(webgpuDist)
    : ['darwin-universal', 'linux-arm64', 'linux-x64', 'win32-arm64', 'win32-x64']
  const sharp = JSON.parse(
    readFileSync(join(root, 'node_modules', 'sharp', 'package.json'), 'utf8'),
  ) as { optionalDependencies: Record<string, string> }
  const imgPackages = Object.keys(sharp.optionalDependencies)

  it.each(targets)("a package built on %s for %s keeps only that platform's dawn.node", (p, a) => {
    const keeps = packaged(p, a)
    const own = p === 'darwin' ? 'darwin-universal' : `${p}-${a}`
    expect(dawnFolders).toContain(own)
    for (const folder of dawnFolders) {
      const path = `node_modules/webgpu/dist/${folder}`
      expect(keeps(path), folder).toBe(folder === own)
      expect(keeps(`${path}/dawn.node`, false), folder).toBe(folder === own)
    }
    expect(keeps('node_modules/webgpu/index.js', false)).toBe(true)
  })

  it.each(targets)("a package built on %s for %s keeps only that platform's sharp", (p, a) => {
    const keeps = packaged(p, a)
    // Windows' libvips comes inside @img/sharp-win32-<arch>
    const own = [`@img/sharp-${p}-${a}`, `@img/sharp-libvips-${p}-${a}`]
    expect(imgPackages).toContain(own[0])
    for (const name of imgPackages)
      expect(keeps(`node_modules/${name}`), name).toBe(own.includes(name))
    expect(keeps('node_modules/@img/colour')).toBe(true)
    expect(keeps('node_modules/sharp/lib/index.js', false)).toBe(true)
  })
})
