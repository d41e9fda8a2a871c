// Builds a second copy of better-sqlite3 for Electron's ABI into .native-electron/, leaving
// node_modules/better-sqlite3/build (the Node build that tests, the CLI and `studio serve` load)
// untouched. main/index.ts passes the copy to the workspace as its nativeBinding.
//
// Runs at postinstall and never fails the install. By hand: node main/scripts/native-electron.js --force
// (--force rebuilds even when up to date, and builds even if the Electron binary was not downloaded).
import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')
const outDir = join(root, '.native-electron')
const outFile = join(outDir, 'better_sqlite3.node')
const stampFile = join(outDir, 'build.json')
const force = process.argv.includes('--force')
const require = createRequire(join(root, 'package.json'))
const say = (line) => console.log(`[native-electron] ${line}`)

function packageDir(name) {
  return dirname(require.resolve(`${name}/package.json`))
}

/**
 * The Electron executable if it was downloaded. Reads what require('electron') would return without
 * requiring it: that call starts the binary download when the binary is missing.
 */
function electronBinary(electronDir) {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const executable = readFileSync(pathFile, 'utf8').trim()
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist')
  const full = join(dist, executable)
  return existsSync(full) ? full : null
}

function run(command, args, cwd, timeoutMinutes) {
  const env = { ...process.env }
  // A nodedir from npm's config points at Node's headers; Electron needs its own.
  delete env.npm_config_nodedir
  delete env.NPM_CONFIG_NODEDIR
  const result = spawnSync(command, args, {
    cwd,
    env,
    stdio: 'inherit',
    timeout: timeoutMinutes * 60_000,
    shell: process.platform === 'win32' && !command.endsWith('.exe'),
  })
  return result.status === 0
}

/**
 * npm's own node-gyp, run with node directly: going through npm or npx would bring back a `nodedir`
 * from the user's npmrc, and node-gyp would then build against Node's headers instead of Electron's.
 */
function nodeGyp() {
  const gyp = join('node-gyp', 'bin', 'node-gyp.js')
  const nodeBin = dirname(process.execPath)
  const npmCli = process.env.npm_execpath
  const candidates = [
    process.env.npm_config_node_gyp,
    npmCli && join(dirname(npmCli), '..', 'node_modules', gyp),
    join(nodeBin, '..', 'lib', 'node_modules', 'npm', 'node_modules', gyp),
    join(nodeBin, 'node_modules', 'npm', 'node_modules', gyp),
  ]
  try {
    candidates.unshift(require.resolve('node-gyp/bin/node-gyp.js'))
  } catch {
    // not installed in the project: npm's copy will do
  }
  const found = candidates.find((file) => file && existsSync(file))
  return found ? [process.execPath, [found]] : ['npx', ['--yes', 'node-gyp']]
}

/**
 * Loads the binary in this Node and reads the ABI from the refusal: a build for Electron must be
 * refused with Electron's NODE_MODULE_VERSION. One that loads was built against Node's headers.
 */
function builtForAbi(file, abi) {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      'try { process.dlopen({ exports: {} }, process.argv[1]); console.log("loaded") } catch (e) { console.log(e.message) }',
      file,
    ],
    { encoding: 'utf8' },
  )
  return new RegExp(`NODE_MODULE_VERSION ${abi}\\b`).test(probe.stdout)
}

function prebuildInstall() {
  try {
    return [process.execPath, [require.resolve('prebuild-install/bin.js')]]
  } catch {
    return ['npx', ['--yes', 'prebuild-install']]
  }
}

function build(electronVersion, arch, abi) {
  const sqliteDir = packageDir('better-sqlite3')
  const work = mkdtempSync(join(tmpdir(), 'studio-native-electron-'))
  try {
    const copy = join(work, 'better-sqlite3')
    // Without build/: the copy must not pick up the Node binary.
    cpSync(sqliteDir, copy, { recursive: true, filter: (src) => src !== join(sqliteDir, 'build') })
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node')
    const [pbCommand, pbArgs] = prebuildInstall()
    say(
      `fetching a prebuilt better-sqlite3 for Electron ${electronVersion} (${process.platform}-${arch})`,
    )
    let ok =
      run(
        pbCommand,
        [...pbArgs, '--runtime', 'electron', '--target', electronVersion, '--arch', arch],
        copy,
        5,
      ) && existsSync(built)
    if (!ok) {
      say('no prebuilt binary; compiling with node-gyp (needs a C++ toolchain and Python)')
      const [gypCommand, gypArgs] = nodeGyp()
      ok =
        run(
          gypCommand,
          [
            ...gypArgs,
            'rebuild',
            '--release',
            '--runtime=electron',
            `--target=${electronVersion}`,
            `--arch=${arch}`,
            '--dist-url=https://electronjs.org/headers',
          ],
          copy,
          30,
        ) && existsSync(built)
    }
    if (!ok) return false
    if (abi && !builtForAbi(built, abi)) {
      say(
        `the build is not for Electron's ABI ${abi} (were Node's headers used?); not installing it`,
      )
      return false
    }
    mkdirSync(outDir, { recursive: true })
    copyFileSync(built, outFile)
    return true
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function warnLoudly(reason) {
  const bar = '!'.repeat(78)
  console.warn(
    [
      bar,
      `Autoencoder Studio: better-sqlite3 could not be built for Electron (${reason}).`,
      'The desktop app will NOT open until it is. `studio serve`, the CLI and the tests are fine.',
      'Fix the cause above, then run: node main/scripts/native-electron.js --force',
      bar,
    ].join('\n'),
  )
}

function main() {
  let electronDir
  try {
    electronDir = packageDir('electron')
  } catch {
    say('skipped: the electron package is not installed.')
    return
  }
  const electronVersion = JSON.parse(
    readFileSync(join(electronDir, 'package.json'), 'utf8'),
  ).version
  const sqliteVersion = JSON.parse(
    readFileSync(join(packageDir('better-sqlite3'), 'package.json'), 'utf8'),
  ).version
  const arch = process.env.npm_config_arch ?? process.arch
  if (!electronBinary(electronDir) && !force) {
    say(
      `skipped: the Electron ${electronVersion} binary is not downloaded, so there is no desktop app to build for (run with --force to build anyway).`,
    )
    return
  }
  const stamp = {
    electron: electronVersion,
    betterSqlite3: sqliteVersion,
    platform: process.platform,
    arch,
  }
  const current =
    existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === JSON.stringify(stamp)
  if (current && existsSync(outFile) && !force) {
    say(`up to date for Electron ${electronVersion}.`)
    return
  }
  const abi = existsSync(join(electronDir, 'abi_version'))
    ? readFileSync(join(electronDir, 'abi_version'), 'utf8').trim()
    : null
  if (!build(electronVersion, arch, abi)) {
    warnLoudly('neither a prebuilt download nor a node-gyp build gave a binary for Electron')
    return
  }
  writeFileSync(stampFile, JSON.stringify(stamp))
  say(`built ${outFile} for Electron ${electronVersion}.`)
}

try {
  main()
} catch (error) {
  warnLoudly(error instanceof Error ? error.message : String(error))
}
process.exitCode = 0
