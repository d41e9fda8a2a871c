// `npm run package:check`: packages the app for Linux into a folder, against a stand-in Electron
// distribution made here (so nothing is downloaded), then checks the package the way the app
// will use it: every file main/core/layout.ts resolves at run time is there, every native
// binary sits outside app.asar, this platform's dawn.node among them and no other platform's
// binary, app.asar holds no test or benchmark files, and the fuses of electron-builder.yml are
// set. Prints the package's size, and what the other platforms' binaries it left out weigh. The
// real installers are built by .github/workflows/release.yml, where Electron can be downloaded.
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { listPackage, statFile } from '@electron/asar'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { runtimeFiles } from '../core/layout'
import { renderIcons } from './icons'

const root = join(import.meta.dirname, '..', '..')
const say = (line: string) => console.log(`[package:check] ${line}`)

/** The marker @electron/fuses looks for, then wire version 1 and eight fuses as Electron ships them. */
const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const shippedFuses = '\x01\x08' + '10111100'

/**
 * A stand-in for Electron's Linux zip, unpacked: an `electron` executable that carries a fuse
 * wire (so electron-builder's fuse step runs on it) and the files electron-builder moves or
 * reads beside it. It cannot run the app; the release workflow's smoke test does that.
 */
export function standInElectron(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true })
  const executable = join(dir, 'electron')
  writeFileSync(
    executable,
    `#!/bin/sh\n# stand-in Electron for package:check ${fuseSentinel}${shippedFuses}\nexit 1\n`,
  )
  chmodSync(executable, 0o755)
  writeFileSync(join(dir, 'LICENSE'), 'stand-in for the Electron licence\n')
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<p>stand-in</p>\n')
  writeFileSync(join(dir, 'version'), '0.0.0-stand-in\n')
  return dir
}

function sizeOf(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.size
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0)
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)))
}

/**
 * The native binaries of other platforms that the packaged packages hold in `nodeModules`, which
 * the package leaves out (electron-builder.yml's files), and their bytes.
 */
export function leftOut(
  nodeModules: string,
  packagedNatives: readonly string[],
  target: Target,
): { files: string[]; bytes: number } {
  const packages = new Set(
    packagedNatives.map((p) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1]),
  )
  const files = [...packages]
    .filter((name) => name !== undefined && existsSync(join(nodeModules, name)))
    .flatMap((name) => filesUnder(join(nodeModules, name!)))
    .filter((file) => {
      const inside = relative(nodeModules, file).split(sep).join('/')
      const packaged = packagedNatives.includes(`/node_modules/${inside}`)
      return !packaged && nativeFile.test(file) && isForeign(inside, target)
    })
  return { files, bytes: files.reduce((sum, file) => sum + statSync(file).size, 0) }
}

/** Native code the OS loads itself: it must not stay inside the archive. */
export const nativeFile = /\.(node|so(\.\d+)*|dylib|dll)$/

export interface Target {
  /** as Node names it (process.platform) */
  platform: string
  arch: string
}

/**
 * The platform and CPU a path names, as prebuilt packages name their folders and files
 * (webgpu/dist/linux-x64, @img/sharp-darwin-arm64, napi-v6/win32/x64, index.linux-x64-gnu.node).
 */
export function platformOf(path: string): Target | null {
  const named =
    /(?:^|[/.-])(darwin|win32|linux(?:musl)?|freebsd|android)[/-](universal|x64|arm64|ia32|arm|ppc64|riscv64|s390x|loong64)(?=$|[/.-])/.exec(
      path,
    )
  return named ? { platform: named[1], arch: named[2] } : null
}

/** A binary for some other platform or CPU than `target` (macOS's universal ones fit both CPUs). */
export function isForeign(path: string, target: Target): boolean {
  if (target.platform !== 'win32' && /\.dll$/.test(path)) return true
  if (target.platform !== 'darwin' && /\.dylib$/.test(path)) return true
  const named = platformOf(path)
  if (!named) return false
  const arch =
    named.arch === target.arch || (named.arch === 'universal' && target.platform === 'darwin')
  return named.platform !== target.platform || !arch
}

/** The native binaries a Linux package for `arch` must hold (outside app.asar, as every one). */
export function neededNatives(arch: string): RegExp[] {
  return [
    /better_sqlite3\.node$/,
    /sharp-[^/]+\.node$/,
    /libvips-cpp\.so/,
    // the WebGPU backend's Dawn: this platform's, and only it (isForeign)
    new RegExp(`^/node_modules/webgpu/dist/linux-${arch}/dawn\\.node$`),
  ]
}

/** Files that only tests or benchmarks need. */
export const testFile =
  /(^|\/)(test|tests|__tests__|bench|benchmarks?)\/|\.(spec|test|bench|e2e)\.[cm]?[jt]s$/

/**
 * Libraries vite bundles into the renderer (out/renderer) and main never requires: in
 * `dependencies` electron-builder would copy them into app.asar as well, where nothing loads them.
 */
export const rendererOnlyPackages = [
  'vue',
  'vue-router',
  'pinia',
  'three',
  'uplot',
  '@tanstack/vue-virtual',
]

/**
 * What is wrong with the unpacked Linux package for `arch` in `packageDir` (resources/ and the
 * executable).
 */
export async function problemsOf(
  packageDir: string,
  executable: string,
  arch: string = process.arch,
): Promise<string[]> {
  const problems: string[] = []
  const resources = join(packageDir, 'resources')
  const asar = join(resources, 'app.asar')
  if (!existsSync(asar)) return [`no app.asar in ${resources}`]
  const inAsar = new Set(listPackage(asar, { isPack: false }).map((p) => p.split(sep).join('/')))
  // the app sees app.asar as a folder: its root is app.getAppPath()
  for (const file of runtimeFiles(asar, resources)) {
    const inside = relative(asar, file)
    const found = inside.startsWith('..') ? existsSync(file) : inAsar.has(`/${inside}`)
    if (!found) problems.push(`missing at run time: ${relative(packageDir, file)}`)
  }
  const natives = [...inAsar].filter((p) => nativeFile.test(p))
  for (const native of natives) {
    const entry = statFile(asar, native.slice(1)) as { unpacked?: boolean }
    const onDisk = join(`${asar}.unpacked`, native)
    if (!entry.unpacked || !existsSync(onDisk)) problems.push(`packed, cannot load: ${native}`)
  }
  for (const needed of neededNatives(arch))
    if (!natives.some((p) => needed.test(p))) problems.push(`no native binary matches ${needed}`)
  for (const file of natives.filter((p) => isForeign(p, { platform: 'linux', arch })))
    problems.push(`another platform's binary: ${file}`)
  for (const file of [...inAsar].filter((p) => testFile.test(p)))
    problems.push(`test or benchmark file in app.asar: ${file}`)
  for (const name of rendererOnlyPackages)
    if (inAsar.has(`/node_modules/${name}/package.json`))
      problems.push(`renderer library in app.asar (make it a devDependency): ${name}`)
  const wire = (await getCurrentFuseWire(executable)) as Record<number, number>
  const expected: [FuseV1Options, boolean][] = [
    [FuseV1Options.RunAsNode, false],
    [FuseV1Options.EnableCookieEncryption, true],
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
    [FuseV1Options.EnableNodeCliInspectArguments, false],
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true],
    [FuseV1Options.OnlyLoadAppFromAsar, true],
  ]
  for (const [fuse, on] of expected)
    if (wire[fuse] !== (on ? 49 : 48)) problems.push(`fuse ${FuseV1Options[fuse]} is not ${on}`)
  return problems
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'studio-package-check-'))
  try {
    await renderIcons(join(root, 'resources', 'icon.svg'), join(root, 'build'))
    const electronDist = standInElectron(join(work, 'electron'))
    const output = join(work, 'dist')
    say('packaging for Linux into a folder, against a stand-in Electron')
    const built = spawnSync(
      join(root, 'node_modules', '.bin', 'electron-builder'),
      [
        '--linux',
        'dir',
        `--${process.arch}`,
        `-c.electronDist=${electronDist}`,
        // the Electron-ABI rebuild needs Electron's headers from the internet: the release does it
        '-c.npmRebuild=false',
        `-c.directories.output=${output}`,
      ],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
      },
    )
    if (built.status !== 0) throw new Error(`electron-builder exited with ${built.status}`)
    const packageDir = join(
      output,
      readdirSync(output).find((name) => name.endsWith('-unpacked'))!,
    )
    const problems = await problemsOf(packageDir, join(packageDir, 'autoencoder-studio'))
    const asar = join(packageDir, 'resources', 'app.asar')
    const size = sizeOf(packageDir)
    say(
      `package ${mb(size)} (app.asar ${mb(statSync(asar).size)}, unpacked natives ` +
        `${mb(sizeOf(`${asar}.unpacked`))}, stand-in Electron excluded)`,
    )
    const natives = listPackage(asar, { isPack: false })
      .map((p) => p.split(sep).join('/'))
      .filter((p) => nativeFile.test(p))
    const other = leftOut(join(root, 'node_modules'), natives, {
      platform: 'linux',
      arch: process.arch,
    })
    say(
      `other platforms' native binaries left out: ${mb(other.bytes)} (${other.files.length} ` +
        `files in node_modules beside this platform's)`,
    )
    for (const problem of problems) console.error(`[package:check] ${problem}`)
    if (problems.length) process.exitCode = 1
    else say('every run-time path, native binary and fuse is as the app needs it')
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[1] === import.meta.filename) await main()
