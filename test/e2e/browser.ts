import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

const candidates = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
]

/** The first Chromium-family browser on this machine, or null. */
export const chromiumPath: string | null =
  candidates.find((path): path is string => Boolean(path) && existsSync(path as string)) ?? null

export const skipReason = chromiumPath
  ? ''
  : 'no Chromium found (set CHROMIUM_PATH, or install Debian `chromium` or Google Chrome)'

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error(skipReason)
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      // This machine has no network beyond loopback: keep Chromium from trying.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
