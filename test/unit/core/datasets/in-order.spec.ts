import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { inOrder } from '../../../../main/core/datasets/in-order'

async function* tasksOf<T>(tasks: (() => T | Promise<T>)[]) {
  yield* tasks
}

describe('inOrder', () => {
  it('hands results over in task order while running up to `window` at once', async () => {
    let running = 0
    let mostRunning = 0
    const delays = [30, 5, 20, 1, 15, 2, 25, 3]
    const tasks = delays.map((delay, i) => async () => {
      mostRunning = Math.max(mostRunning, ++running)
      await sleep(delay)
      running--
      return i
    })
    const results: number[] = []
    for await (const result of inOrder(tasksOf(tasks), 3)) results.push(result)
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(mostRunning).toBe(3)
  })

  it('rethrows a failure at its turn, after letting started work settle', async () => {
    let finished = 0
    const tasks = [
      async () => 'first',
      async () => {
        throw new Error('broken')
      },
      async () => {
        await sleep(20)
        finished++
        return 'slow'
      },
    ]
    const results: string[] = []
    await expect(
      (async () => {
        for await (const result of inOrder(tasksOf(tasks), 3)) results.push(result)
      })(),
    ).rejects.toThrow('broken')
    expect(results).toEqual(['first'])
    expect(finished).toBe(1)
  })
})
