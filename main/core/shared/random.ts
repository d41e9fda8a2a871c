// The one seeded random source of the core and the renderer: training's shuffles and noise,
// the metrics' samples and splits, the analyses' initialisations. Plain code: the renderer
// imports this file.

/** mulberry32: a small, fast, seedable PRNG (reproducible runs and metrics). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher–Yates shuffle of 0…n−1. */
export function shuffledIndices(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = order[i]
    order[i] = order[j]
    order[j] = t
  }
  return order
}

/** A seed for step `step` of epoch `epoch`, distinct per (seed, epoch, step). */
export function stepSeed(seed: number, epoch: number, step: number): number {
  return (
    (Math.imul(seed ^ 0x9e3779b9, 73856093) ^
      Math.imul(epoch + 1, 19349663) ^
      Math.imul(step + 1, 83492791)) >>>
    0
  )
}
