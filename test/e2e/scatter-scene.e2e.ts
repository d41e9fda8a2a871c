// The latent scatter's renderer in real Chromium (software WebGL): GPU picking, box and lasso
// selection, hidden categories, PNG export, on seeded Gaussian blobs whose members are known.
// Screenshots: test-results/e2e/scatter-scene*.png.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { harness, openScatterPage } from '../bench/scatter.bench'
import { categoricalPalette } from '../../renderer/src/scene/color-maps'
import { launchBrowser, skipReason } from './browser'

const shots = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')
if (skipReason) console.warn(`e2e skipped: ${skipReason}`)

const blobPoints = 20_000
const clusters = 10
/** one more point, alone at the origin (the blobs sit on the unit circle), in category 10 */
const loner = blobPoints
const lonerCategory = 10

/** Blob c's centre, as gaussianBlobs places it in 2D. */
function center(c: number): [number, number] {
  const angle = (2 * Math.PI * c) / clusters
  return [Math.cos(angle), Math.sin(angle)]
}

/** A circle of data-space radius r around (x, y), as a polygon on the screen. */
async function screenCircle(page: Page, x: number, y: number, r: number) {
  const polygon: [number, number][] = []
  for (let k = 0; k < 48; k++) {
    const a = (2 * Math.PI * k) / 48
    const at = await harness(page, 'screenOf', x + Math.cos(a) * r, y + Math.sin(a) * r, 0)
    if (at) polygon.push(at)
  }
  return polygon
}

async function screenBox(page: Page, x: number, y: number, r: number) {
  const [a, b] = [
    await harness(page, 'screenOf', x - r, y - r, 0),
    await harness(page, 'screenOf', x + r, y + r, 0),
  ]
  if (!a || !b) throw new Error('box corners behind the camera')
  return [a, [b[0], a[1]], b, [a[0], b[1]]] as [number, number][]
}

const blobMembers = (c: number) =>
  Array.from({ length: blobPoints }, (_, i) => i).filter((i) => i % clusters === c)

describe.skipIf(Boolean(skipReason))('scatter scene, in Chromium', () => {
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 900, height: 600 } })
    await openScatterPage(page)
    await harness(page, 'load', {
      count: blobPoints,
      clusters,
      dims: 2,
      mode: '2d',
      pointSize: 4,
      extra: [[0, 0, 0, lonerCategory]],
    })
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('picks the point under the cursor, and nothing where there is none', async () => {
    const at = await harness(page, 'screenOf', 0, 0, 0)
    expect(at).not.toBeNull()
    const [x, y] = at!
    expect(await harness(page, 'pick', x, y)).toBe(loner)
    // a near miss still finds it (the pick radius), an empty spot finds nothing
    expect(await harness(page, 'pick', x + 3, y - 2)).toBe(loner)
    const empty = await harness(page, 'screenOf', 0, 0.5, 0)
    expect(await harness(page, 'pick', ...empty!)).toBe(-1)
    // in a blob, some point of that blob
    const blob = await harness(page, 'screenOf', ...center(3), 0)
    expect((await harness(page, 'pick', ...blob!)) % clusters).toBe(3)
  })

  it('a lasso around a blob selects exactly its points; a box the lone point', async () => {
    const lasso = await screenCircle(page, ...center(3), 0.3)
    expect(await harness(page, 'select', lasso)).toEqual(blobMembers(3))
    expect(await harness(page, 'select', await screenBox(page, 0, 0, 0.1))).toEqual([loner])
  })

  it('hidden categories can be neither picked nor selected, and come back', async () => {
    const [x, y] = (await harness(page, 'screenOf', 0, 0, 0))!
    await harness(page, 'hide', [lonerCategory, 3])
    expect(await harness(page, 'pick', x, y)).toBe(-1)
    const blob = (await harness(page, 'screenOf', ...center(3), 0))!
    expect(await harness(page, 'pick', ...blob)).toBe(-1)
    expect(await harness(page, 'select', await screenBox(page, 0, 0, 0.1))).toEqual([])
    expect(await harness(page, 'select', await screenCircle(page, ...center(3), 0.3))).toEqual([])
    // the other blobs are untouched
    const lasso = await screenCircle(page, ...center(4), 0.3)
    expect(await harness(page, 'select', lasso)).toEqual(blobMembers(4))
    await page.screenshot({ path: join(shots, 'scatter-scene-2d-hidden.png') })
    await harness(page, 'hide', [])
    expect(await harness(page, 'pick', x, y)).toBe(loner)
  })

  it('moves from the previous epoch to the new one by the transition alone', async () => {
    const at = async (x: number) => (await harness(page, 'screenOf', x, 0, 0))!
    // every point 0.3 to the right, shown half way: the lone point at (0.15, 0)
    await harness(page, 'moveAll', 0.3, 0, 0.5)
    expect(await harness(page, 'pick', ...(await at(0.15)))).toBe(loner)
    expect(await harness(page, 'select', await screenBox(page, 0.15, 0, 0.1))).toEqual([loner])
    // the next epoch (the shown buffer becomes the previous one), at t = 0: back at 0.3
    await harness(page, 'moveAll', 0.3, 0, 0)
    expect(await harness(page, 'pick', ...(await at(0.3)))).toBe(loner)
    expect(await harness(page, 'pick', ...(await at(0.15)))).toBe(-1)
    // and at t = 1 at the new positions, here the origin again
    await harness(page, 'moveAll', -0.6, 0, 1)
    expect(await harness(page, 'pick', ...(await at(0)))).toBe(loner)
    expect(await harness(page, 'pick', ...(await at(0.6)))).toBe(-1)
  })

  it('saves the view as a PNG of the canvas size', async () => {
    const png = await harness(page, 'png')
    expect(png).toMatchObject({ signature: true, width: 900, height: 600 })
    expect(png.bytes).toBeGreaterThan(1000)
  })

  it('draws ten coloured blobs in 3D', async () => {
    await harness(page, 'load', { count: 200_000, clusters, dims: 3, mode: '3d', pointSize: 3 })
    const path = join(shots, 'scatter-scene.png')
    await page.screenshot({ path })
    // every blob's palette colour is on the screen
    const { data } = PNG.sync.read(readFileSync(path))
    const seen = new Set<number>()
    for (let o = 0; o < data.length; o += 4)
      seen.add((data[o] << 16) | (data[o + 1] << 8) | data[o + 2])
    const shown = categoricalPalette
      .slice(0, clusters)
      .filter((css) => seen.has(Number.parseInt(css.slice(1), 16)))
    expect(shown).toHaveLength(clusters)
    await harness(page, 'highlight', 2)
    await page.screenshot({ path: join(shots, 'scatter-scene-highlight.png') })
  })
})
