// Reconstruction pages kept in memory, least recently used first out, within a byte budget: the
// gallery pages back and forth through a run's 70,000 images, and each page of a view is decoded
// once per (run, checkpoint). Decoding the same page twice at once is also avoided.
import type { CheckpointKind } from '../shared/runs'

export interface PageKey {
  runId: number
  checkpoint: CheckpointKind
  /** the gallery's order, which decides the page's images: e.g. 'worst', 'best', 'worst:label=3' */
  order: string
  page: number
}

interface Entry {
  runId: number
  bytes: Uint8Array
}

function keyOf(key: PageKey): string {
  return `${key.runId}\u0000${key.checkpoint}\u0000${key.order}\u0000${key.page}`
}

/**
 * Reconstruction bytes by page. The arrays handed out are the cached ones: copy before
 * transferring one to another process or thread, which would detach it.
 */
export class ReconstructionCache {
  private readonly entries = new Map<string, Entry>()
  private readonly pending = new Map<string, { runId: number; bytes: Promise<Uint8Array> }>()
  /** bumped by dropRun, so a page computed from a dropped run's old weights is not kept */
  private readonly generations = new Map<number, number>()
  private used = 0
  hits = 0
  misses = 0

  constructor(readonly budgetBytes = 256 * 2 ** 20) {}

  /** Bytes held. */
  get bytes(): number {
    return this.used
  }

  get pages(): number {
    return this.entries.size
  }

  has(key: PageKey): boolean {
    return this.entries.has(keyOf(key))
  }

  /** The page's bytes, now the most recently used; undefined when not cached. */
  get(key: PageKey): Uint8Array | undefined {
    const id = keyOf(key)
    const entry = this.entries.get(id)
    if (!entry) {
      this.misses++
      return undefined
    }
    this.hits++
    // a Map iterates in insertion order: re-inserting makes it the newest
    this.entries.delete(id)
    this.entries.set(id, entry)
    return entry.bytes
  }

  /** Keeps a page, evicting the least recently used; false when it alone exceeds the budget. */
  set(key: PageKey, bytes: Uint8Array): boolean {
    const id = keyOf(key)
    this.remove(id)
    if (bytes.byteLength > this.budgetBytes) return false
    for (const [oldest] of this.entries) {
      if (this.used + bytes.byteLength <= this.budgetBytes) break
      this.remove(oldest)
    }
    this.entries.set(id, { runId: key.runId, bytes })
    this.used += bytes.byteLength
    return true
  }

  /** The cached page, or `compute`'s result, kept; concurrent calls for one page compute once. */
  async load(key: PageKey, compute: () => Uint8Array | Promise<Uint8Array>): Promise<Uint8Array> {
    const cached = this.get(key)
    if (cached) return cached
    const id = keyOf(key)
    const inFlight = this.pending.get(id)
    if (inFlight) return inFlight.bytes
    const generation = this.generations.get(key.runId) ?? 0
    // through a promise chain, so that even a compute that throws at once settles the same way
    const computing = Promise.resolve()
      .then(compute)
      .then((bytes) => {
        if ((this.generations.get(key.runId) ?? 0) === generation) this.set(key, bytes)
        return bytes
      })
      .finally(() => {
        if (this.pending.get(id)?.bytes === computing) this.pending.delete(id)
      })
    this.pending.set(id, { runId: key.runId, bytes: computing })
    return computing
  }

  /** Forgets a run's pages (the run was deleted, or resumed and its checkpoints rewritten). */
  dropRun(runId: number): number {
    this.generations.set(runId, (this.generations.get(runId) ?? 0) + 1)
    for (const [id, inFlight] of this.pending) if (inFlight.runId === runId) this.pending.delete(id)
    let dropped = 0
    for (const [id, entry] of this.entries)
      if (entry.runId === runId) {
        this.remove(id)
        dropped++
      }
    return dropped
  }

  clear(): void {
    this.entries.clear()
    this.used = 0
  }

  private remove(id: string): void {
    const entry = this.entries.get(id)
    if (!entry) return
    this.entries.delete(id)
    this.used -= entry.bytes.byteLength
  }
}
