// The reconstruction page cache: least recently used out within the byte budget, one
// computation per page at a time, and a dropped run's pages gone for good.
import { describe, expect, it } from 'vitest'
import {
  ReconstructionCache,
  type PageKey,
} from '../../../../main/core/reconstruction/decoder-cache'

const key = (page: number, runId = 1, order = 'worst'): PageKey => ({
  runId,
  checkpoint: 'best',
  order,
  page,
})
const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill)

describe('ReconstructionCache', () => {
  it('keeps pages by run, checkpoint, order and page', () => {
    const cache = new ReconstructionCache(1000)
    cache.set(key(0), bytes(10, 1))
    cache.set({ ...key(0), checkpoint: 'last' }, bytes(10, 2))
    cache.set(key(0, 1, 'best'), bytes(10, 3))
    cache.set(key(0, 2), bytes(10, 4))
    expect(cache.get(key(0))![0]).toBe(1)
    expect(cache.get({ ...key(0), checkpoint: 'last' })![0]).toBe(2)
    expect(cache.get(key(0, 1, 'best'))![0]).toBe(3)
    expect(cache.get(key(0, 2))![0]).toBe(4)
    expect(cache.get(key(1))).toBeUndefined()
    expect(cache.bytes).toBe(40)
    expect([cache.hits, cache.misses]).toEqual([4, 1])
  })

  it('evicts the least recently used pages to stay within its budget', () => {
    const cache = new ReconstructionCache(300)
    cache.set(key(0), bytes(100))
    cache.set(key(1), bytes(100))
    cache.set(key(2), bytes(100))
    cache.get(key(0)) // now page 1 is the oldest
    cache.set(key(3), bytes(150))
    expect(cache.has(key(0))).toBe(true)
    expect(cache.has(key(1))).toBe(false)
    expect(cache.has(key(2))).toBe(false)
    expect(cache.has(key(3))).toBe(true)
    expect(cache.bytes).toBe(250)
  })

  it('replaces a page in place and refuses one larger than the whole budget', () => {
    const cache = new ReconstructionCache(100)
    cache.set(key(0), bytes(60))
    cache.set(key(0), bytes(80))
    expect(cache.bytes).toBe(80)
    expect(cache.pages).toBe(1)
    expect(cache.set(key(1), bytes(101))).toBe(false)
    expect(cache.has(key(1))).toBe(false)
    expect(cache.has(key(0))).toBe(true)
  })

  it('computes a page once when it is asked for twice at the same time', async () => {
    const cache = new ReconstructionCache(1000)
    let computed = 0
    const compute = async () => {
      computed++
      await new Promise((resolve) => setTimeout(resolve, 5))
      return bytes(10, 7)
    }
    const [a, b] = await Promise.all([cache.load(key(0), compute), cache.load(key(0), compute)])
    expect(computed).toBe(1)
    expect(a).toBe(b)
    expect(await cache.load(key(0), compute)).toBe(a)
    expect(computed).toBe(1)
  })

  it('keeps nothing when the computation fails, and tries again next time', async () => {
    const cache = new ReconstructionCache(1000)
    await expect(
      cache.load(key(0), () => {
        throw new Error('no model')
      }),
    ).rejects.toThrow('no model')
    expect(cache.has(key(0))).toBe(false)
    expect((await cache.load(key(0), () => bytes(5)))!.length).toBe(5)
  })

  it("drops a run's pages, and does not keep a page computed from before the drop", async () => {
    const cache = new ReconstructionCache(1000)
    cache.set(key(0, 1), bytes(10))
    cache.set(key(1, 1), bytes(10))
    cache.set(key(0, 2), bytes(10))
    let release: () => void = () => {}
    const slow = cache.load(key(2, 1), async () => {
      await new Promise<void>((resolve) => (release = resolve))
      return bytes(10)
    })
    await new Promise((resolve) => setTimeout(resolve, 0)) // the computation has started
    expect(cache.dropRun(1)).toBe(2)
    release()
    await slow
    expect(cache.has(key(2, 1))).toBe(false)
    expect(cache.has(key(0, 2))).toBe(true)
    expect(cache.bytes).toBe(10)
  })
})
