// Stores outcomes as they arrive, in order: items in batches (one transaction each), with
// duplicates linked to the first item of the same bytes; skipped files kept for the end.
import type { DuplicateFile, SkippedFile } from '../shared/types'
import type { DatasetsStore, NewItem } from '../store/datasets-store'
import type { Outcome } from './tasks'

interface FirstCopy {
  path: string
  /** null until its batch is stored */
  id: number | null
}

export class DatasetWriter {
  items = 0
  readonly skipped: SkippedFile[] = []
  readonly duplicates: DuplicateFile[] = []
  readonly labels: Record<string, number> = {}
  /** items per set (plan.ts's nameSets) */
  readonly sets: Record<string, number> = {}
  private batch: NewItem[] = []
  /** the batch entries that are the first of their content hash */
  private batchFirsts: (FirstCopy | null)[] = []
  private readonly firstByHash = new Map<string, FirstCopy>()

  constructor(
    private readonly store: DatasetsStore,
    private readonly datasetId: number,
    private readonly batchSize = 500,
  ) {}

  add(outcome: Outcome): void {
    if (outcome.kind === 'skipped') {
      this.skipped.push({ path: outcome.path, reason: outcome.reason })
      return
    }
    const { path, label, pixels, contentHash, set = null } = outcome
    let duplicateOf: number | null = null
    let first: FirstCopy | null = null
    if (contentHash !== null) {
      const earlier = this.firstByHash.get(contentHash)
      if (earlier) {
        if (earlier.id === null) this.flush() // its id is known once it is stored
        duplicateOf = earlier.id
        this.duplicates.push({ path, sameAs: earlier.path })
      } else {
        first = { path, id: null }
        this.firstByHash.set(contentHash, first)
      }
    }
    this.batch.push({ path, label, pixels, contentHash, duplicateOf, set })
    this.batchFirsts.push(first)
    if (label !== null) this.labels[label] = (this.labels[label] ?? 0) + 1
    if (set !== null) this.sets[set] = (this.sets[set] ?? 0) + 1
    if (this.batch.length >= this.batchSize) this.flush()
  }

  flush(): void {
    if (this.batch.length === 0) return
    const ids = this.store.addItems(this.datasetId, this.items, this.batch)
    this.batchFirsts.forEach((first, i) => {
      if (first) first.id = ids[i]
    })
    this.items += this.batch.length
    this.batch = []
    this.batchFirsts = []
  }

  /** Stores what is left: the last items and the skipped files. */
  finish(): void {
    this.flush()
    this.store.addSkipped(this.datasetId, this.skipped)
  }
}
