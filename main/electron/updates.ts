// The update check: asks GitHub's releases API for the latest release and compares its version
// with the app's. It only tells the user (a notice with a link to the download page): builds are
// unsigned, so nothing is downloaded or installed by the app. On launch it runs at most once a
// day and can be turned off (Help → Check for updates automatically, kept in settings.ts); a
// failed automatic check says nothing, a check the user asked for says what went wrong.
import type { DesktopNotice } from '../core/contract'
import type { AppSettings } from './settings'

const day = 24 * 60 * 60 * 1000
export const checkTimeoutMs = 10_000

interface Version {
  core: [number, number, number]
  pre: string[]
}

/** A semantic version (`1.2.3`, `v1.2.3-beta.1`, build metadata ignored), or null. */
export function parseVersion(text: string): Version | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(
    text.trim(),
  )
  if (!match) return null
  return {
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    pre: match[4] ? match[4].split('.') : [],
  }
}

/** Semver precedence: negative when a is older than b, 0 when equal, positive when newer. */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a)
  const vb = parseVersion(b)
  if (!va || !vb) throw new Error(`Not a version: ${va ? b : a}`)
  for (let i = 0; i < 3; i++) if (va.core[i] !== vb.core[i]) return va.core[i] - vb.core[i]
  // a pre-release is older than its release; otherwise identifiers compare one by one
  if (va.pre.length === 0 || vb.pre.length === 0) return vb.pre.length - va.pre.length
  for (let i = 0; i < Math.min(va.pre.length, vb.pre.length); i++) {
    const [x, y] = [va.pre[i], vb.pre[i]]
    if (x === y) continue
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)]
    if (nx && ny) return Number(x) - Number(y)
    if (nx !== ny) return nx ? -1 : 1 // numbers sort before words
    return x < y ? -1 : 1
  }
  return va.pre.length - vb.pre.length
}

/**
 * The URL to ask for the latest release: STUDIO_UPDATE_URL when set, else GitHub's API for the
 * repository package.json names (the release workflow writes it into the packaged app), else null.
 */
export function updateFeedUrl(
  pkg: { repository?: unknown },
  env: Record<string, string | undefined>,
): string | null {
  if (env.STUDIO_UPDATE_URL) return env.STUDIO_UPDATE_URL
  const repo = pkg.repository
  const text =
    typeof repo === 'string'
      ? repo
      : typeof repo === 'object' &&
          repo !== null &&
          typeof (repo as { url?: unknown }).url === 'string'
        ? (repo as { url: string }).url
        : ''
  const match =
    /^(?:github:)?([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(text) ??
    /^(?:git\+)?(?:https?|git|ssh):\/\/(?:git@)?github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(
      text,
    )
  return match ? `https://api.github.com/repos/${match[1]}/${match[2]}/releases/latest` : null
}

export type UpdateCheck =
  | { status: 'newer'; version: string; url: string }
  | { status: 'current'; version: string }
  | { status: 'failed'; reason: string }

export interface CheckDeps {
  fetch: typeof globalThis.fetch
  /** the feed URL; null when this build names none */
  url: string | null
  /** the running app's version */
  current: string
  timeoutMs?: number
}

/** Asks the feed for the latest release; never throws. */
export async function checkForUpdate(deps: CheckDeps): Promise<UpdateCheck> {
  if (!deps.url)
    return {
      status: 'failed',
      reason:
        'this build names no release page to check (no GitHub repository in its package.json, ' +
        'and STUDIO_UPDATE_URL is not set)',
    }
  let response: Response
  try {
    response = await deps.fetch(deps.url, {
      headers: { accept: 'application/vnd.github+json' },
      signal: AbortSignal.timeout(deps.timeoutMs ?? checkTimeoutMs),
    })
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    const ms = deps.timeoutMs ?? checkTimeoutMs
    const limit = ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`
    return {
      status: 'failed',
      reason: timedOut
        ? `the release server did not answer within ${limit}`
        : 'the release server could not be reached (are you offline?)',
    }
  }
  if (response.status === 404) return { status: 'failed', reason: 'no release is published yet' }
  if (!response.ok)
    return { status: 'failed', reason: `the release server answered ${response.status}` }
  let release: { tag_name?: unknown; html_url?: unknown }
  try {
    release = (await response.json()) as typeof release
  } catch {
    return { status: 'failed', reason: 'the release server sent something that is not JSON' }
  }
  const tag = typeof release.tag_name === 'string' ? release.tag_name : ''
  if (!parseVersion(tag) || !parseVersion(deps.current))
    return { status: 'failed', reason: `the latest release's tag "${tag}" is not a version` }
  const version = tag.replace(/^v/, '')
  if (compareVersions(tag, deps.current) <= 0) return { status: 'current', version }
  const page = typeof release.html_url === 'string' ? release.html_url : ''
  return { status: 'newer', version, url: /^https:\/\//.test(page) ? page : deps.url }
}

/** Whether the check on launch should run now: switched on, and a day since the last one. */
export function autoCheckDue(settings: AppSettings, now: number): boolean {
  if (!settings.checkForUpdates) return false
  const last = settings.lastUpdateCheck
  // a clock set back leaves `last` in the future: check rather than wait for it
  return last === undefined || now - last >= day || last > now
}

/** The notice for a newer release. */
export function updateNotice(update: { version: string; url: string }): DesktopNotice {
  return {
    kind: 'info',
    message: `Autoencoder Studio ${update.version} is available.`,
    link: { label: 'Download', url: update.url },
  }
}

export interface AutoCheckDeps extends CheckDeps {
  settings(): AppSettings
  /** records the time of this check (before it runs, so a crash or an offline day counts) */
  remember(now: number): void
  now(): number
  notify(notice: DesktopNotice): void
}

/**
 * The check on launch: runs when due, remembers when it ran, and shows a notice only for a newer
 * release. Failures are silent: the user did not ask. Returns what happened, for tests and logs.
 */
export async function automaticCheck(deps: AutoCheckDeps): Promise<UpdateCheck | 'not-due'> {
  const now = deps.now()
  if (!autoCheckDue(deps.settings(), now)) return 'not-due'
  deps.remember(now)
  const result = await checkForUpdate(deps)
  if (result.status === 'newer') deps.notify(updateNotice(result))
  return result
}

/** What Help → Check for updates… tells the user. */
export function manualCheckMessage(result: UpdateCheck, current: string): string {
  switch (result.status) {
    case 'newer':
      return `Version ${result.version} is available (you have ${current}).`
    case 'current':
      return `You have the latest version, ${current}.`
    case 'failed':
      return `Could not check for updates: ${result.reason}.`
  }
}
