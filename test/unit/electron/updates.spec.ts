import { describe, expect, it } from 'vitest'
import type { DesktopNotice } from '../../../main/core/contract'
import type { AppSettings } from '../../../main/electron/settings'
import {
  autoCheckDue,
  automaticCheck,
  checkForUpdate,
  compareVersions,
  manualCheckMessage,
  updateFeedUrl,
} from '../../../main/electron/updates'

const day = 24 * 60 * 60 * 1000
const feed = 'https://api.github.com/repos/owner/studio/releases/latest'

/** A fetch that answers every request with this status and body, counting the requests. */
function answering(status: number, body: unknown) {
  const calls: string[] = []
  const fetch = (async (url: string) => {
    calls.push(url)
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })
  }) as unknown as typeof globalThis.fetch
  return { fetch, calls }
}

const release = (tag: string) => ({
  tag_name: tag,
  html_url: `https://github.com/owner/studio/releases/tag/${tag}`,
})

describe('compareVersions', () => {
  it.each([
    ['0.1.0', '0.2.0'],
    ['0.9.9', '0.10.0'],
    ['1.2.3', '2.0.0'],
    ['1.0.0-alpha', '1.0.0'],
    ['1.0.0-alpha', '1.0.0-alpha.1'],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta'],
    ['1.0.0-beta.2', '1.0.0-beta.11'],
    ['1.0.0-rc.1', '1.0.0'],
  ])('%s is older than %s', (older, newer) => {
    expect(compareVersions(older, newer)).toBeLessThan(0)
    expect(compareVersions(newer, older)).toBeGreaterThan(0)
  })

  it('reads a v prefix and ignores build metadata', () => {
    expect(compareVersions('v1.2.3', '1.2.3')).toBe(0)
    expect(compareVersions('1.2.3+build.5', 'v1.2.3')).toBe(0)
  })

  it('refuses what is not a version', () => {
    expect(() => compareVersions('latest', '1.0.0')).toThrow('Not a version: latest')
    expect(() => compareVersions('1.0', '1.0.0')).toThrow('Not a version: 1.0')
  })
})

describe('updateFeedUrl', () => {
  it.each([
    'owner/studio',
    'github:owner/studio',
    'https://github.com/owner/studio',
    'git+https://github.com/owner/studio.git',
    'git@github.com:owner/studio.git',
  ])('asks GitHub about the repository %s', (repository) => {
    const url = updateFeedUrl({ repository }, {})
    const fromObject = updateFeedUrl({ repository: { type: 'git', url: repository } }, {})
    if (repository.startsWith('git@')) return expect(url).toBeNull() // not a URL npm writes
    expect(url).toBe(feed)
    expect(fromObject).toBe(feed)
  })

  it('prefers STUDIO_UPDATE_URL, and has none without a repository', () => {
    expect(
      updateFeedUrl({ repository: 'owner/studio' }, { STUDIO_UPDATE_URL: 'http://x/latest' }),
    ).toBe('http://x/latest')
    expect(updateFeedUrl({}, {})).toBeNull()
    expect(updateFeedUrl({ repository: 'https://gitlab.com/a/b' }, {})).toBeNull()
  })
})

describe('checkForUpdate', () => {
  it('finds a newer release and its page', async () => {
    const { fetch, calls } = answering(200, release('v0.2.0'))
    expect(await checkForUpdate({ fetch, url: feed, current: '0.1.0' })).toEqual({
      status: 'newer',
      version: '0.2.0',
      url: 'https://github.com/owner/studio/releases/tag/v0.2.0',
    })
    expect(calls).toEqual([feed])
  })

  it('says the app is current when the latest release is not newer', async () => {
    for (const tag of ['v0.1.0', '0.0.9', 'v0.1.0-rc.1'])
      expect(
        await checkForUpdate({
          fetch: answering(200, release(tag)).fetch,
          url: feed,
          current: '0.1.0',
        }),
      ).toMatchObject({ status: 'current' })
  })

  it.each([
    [404, release('v9.0.0'), 'no release is published yet'],
    [500, {}, 'the release server answered 500'],
    [200, '<html>', 'the release server sent something that is not JSON'],
    [200, { tag_name: 'nightly' }, 'the latest release\'s tag "nightly" is not a version'],
  ])('fails with a reason on status %d', async (status, body, reason) => {
    const { fetch } = answering(status, body)
    expect(await checkForUpdate({ fetch, url: feed, current: '0.1.0' })).toEqual({
      status: 'failed',
      reason,
    })
  })

  it('fails with a reason when offline, when the server is silent, and with no feed', async () => {
    const offline = (async () => {
      throw new TypeError('fetch failed')
    }) as unknown as typeof globalThis.fetch
    expect(await checkForUpdate({ fetch: offline, url: feed, current: '0.1.0' })).toEqual({
      status: 'failed',
      reason: 'the release server could not be reached (are you offline?)',
    })
    // a server that never answers: the check gives up when its signal fires
    const silent = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
      )) as unknown as typeof globalThis.fetch
    expect(
      await checkForUpdate({ fetch: silent, url: feed, current: '0.1.0', timeoutMs: 20 }),
    ).toEqual({ status: 'failed', reason: 'the release server did not answer within 20 ms' })
    const never = answering(200, release('v9.0.0'))
    const result = await checkForUpdate({ fetch: never.fetch, url: null, current: '0.1.0' })
    expect(result).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('STUDIO_UPDATE_URL'),
    })
    expect(never.calls).toEqual([])
  })
})

describe('the check on launch', () => {
  const now = 1_800_000_000_000

  it('is due once a day while switched on', () => {
    const on: AppSettings = { checkForUpdates: true }
    expect(autoCheckDue(on, now)).toBe(true)
    expect(autoCheckDue({ ...on, lastUpdateCheck: now - day + 60_000 }, now)).toBe(false)
    expect(autoCheckDue({ ...on, lastUpdateCheck: now - day }, now)).toBe(true)
    expect(autoCheckDue({ ...on, lastUpdateCheck: now + day }, now)).toBe(true) // clock set back
    expect(autoCheckDue({ checkForUpdates: false }, now)).toBe(false)
  })

  function run(settings: AppSettings, answer: ReturnType<typeof answering>) {
    const remembered: number[] = []
    const notices: DesktopNotice[] = []
    const result = automaticCheck({
      fetch: answer.fetch,
      url: feed,
      current: '0.1.0',
      settings: () => settings,
      remember: (time) => void remembered.push(time),
      now: () => now,
      notify: (notice) => void notices.push(notice),
    })
    return { result, remembered, notices }
  }

  it('asks nothing when switched off or checked today', async () => {
    for (const settings of [
      { checkForUpdates: false },
      { checkForUpdates: true, lastUpdateCheck: now - 60_000 },
    ]) {
      const answer = answering(200, release('v0.2.0'))
      const { result, remembered, notices } = run(settings, answer)
      expect(await result).toBe('not-due')
      expect(answer.calls).toEqual([])
      expect(remembered).toEqual([])
      expect(notices).toEqual([])
    }
  })

  it('remembers the check and shows a notice with the download link for a newer release', async () => {
    const { result, remembered, notices } = run(
      { checkForUpdates: true },
      answering(200, release('v0.2.0')),
    )
    expect(await result).toMatchObject({ status: 'newer' })
    expect(remembered).toEqual([now])
    expect(notices).toEqual([
      {
        kind: 'info',
        message: 'Autoencoder Studio 0.2.0 is available.',
        link: { label: 'Download', url: 'https://github.com/owner/studio/releases/tag/v0.2.0' },
      },
    ])
  })

  it('says nothing when the check fails, but still counts it for the day', async () => {
    const { result, remembered, notices } = run({ checkForUpdates: true }, answering(503, {}))
    expect(await result).toMatchObject({ status: 'failed' })
    expect(remembered).toEqual([now])
    expect(notices).toEqual([])
  })
})

describe('manualCheckMessage', () => {
  it('says what the check found, or why it could not check', () => {
    expect(manualCheckMessage({ status: 'newer', version: '0.2.0', url: feed }, '0.1.0')).toBe(
      'Version 0.2.0 is available (you have 0.1.0).',
    )
    expect(manualCheckMessage({ status: 'current', version: '0.1.0' }, '0.1.0')).toBe(
      'You have the latest version, 0.1.0.',
    )
    expect(
      manualCheckMessage({ status: 'failed', reason: 'no release is published yet' }, '0.1.0'),
    ).toBe('Could not check for updates: no release is published yet.')
  })
})
