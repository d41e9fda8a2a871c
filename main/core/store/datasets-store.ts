import type {
  ItemFacets,
  DatasetSummary,
  DuplicateFile,
  ItemPage,
  SkippedFile,
} from '../shared/types'
import type { ImportOptions } from '../shared/import-options'
import { itemSets } from '../shared/items'
import { StudioError } from '../errors'
import { readableFolderNames } from './folder-names'
import type { Workspace } from './workspace'

export interface NewDataset {
  name: string
  width: number
  height: number
  channels: 'grey' | 'rgb'
  options: ImportOptions
  sources: string[]
}

export interface NewItem {
  path: string
  label: string | null
  pixels: Uint8Array
  /** hex digest of the file's bytes, for duplicate detection; null where there is no file */
  contentHash: string | null
  /** id of an earlier item with identical bytes */
  duplicateOf: number | null
  /** the set it is tagged with (an item_tags row, migration 009) */
  set?: string | null
}

type TagCount = { tag: string; n: number }

interface DatasetRow {
  id: number
  name: string
  created_at: string
  width: number
  height: number
  channels: 'grey' | 'rgb'
  fit: 'pad' | 'crop'
  sources: string
  stats: string | null
}

const summaryColumns = `d.id, d.name, d.created_at, d.width, d.height, d.channels, d.fit, d.sources, d.stats`

/** What a dataset's summary counts; computed once when its import is done (migration 004). */
interface DatasetStats {
  items: number
  skipped: number
  duplicates: number
  labels: Record<string, number>
  /** items per set tag; absent from stats kept before sets were */
  sets?: Record<string, number>
}

/** Prepared statements over the datasets tables; one instance per open workspace. */
export class DatasetsStore {
  private readonly statements
  /** `owner`: this process's row in owners (owners.ts), named by the imports it starts */
  constructor(
    private readonly db: Workspace,
    private readonly owner: number | null = null,
  ) {
    this.statements = {
      create: db.prepare(
        `INSERT INTO datasets (name, status, width, height, channels, fit, options, sources, owner)
         VALUES (?, 'importing', ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertItem: db.prepare(
        `INSERT INTO items (dataset_id, position, path, label, pixels, content_hash, duplicate_of)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      tagItem: db.prepare(`INSERT INTO item_tags (item_id, tag) VALUES (?, ?)`),
      sets: db.prepare(
        `SELECT t.tag, count(*) AS n FROM items i JOIN item_tags t ON t.item_id = i.id
         WHERE i.dataset_id = ? AND t.tag IN (SELECT value FROM json_each(?)) GROUP BY t.tag`,
      ),
      insertSkipped: db.prepare(`INSERT INTO skipped (dataset_id, path, reason) VALUES (?, ?, ?)`),
      markReady: db.prepare(`UPDATE datasets SET status = 'ready' WHERE id = ?`),
      list: db.prepare(
        `SELECT ${summaryColumns} FROM datasets d WHERE d.status = 'ready' ORDER BY d.id DESC`,
      ),
      get: db.prepare(
        `SELECT ${summaryColumns} FROM datasets d WHERE d.id = ? AND d.status = 'ready'`,
      ),
      counts: db.prepare(
        `SELECT (SELECT count(*) FROM items WHERE dataset_id = @id) AS items,
           (SELECT count(*) FROM skipped WHERE dataset_id = @id) AS skipped,
           (SELECT count(*) FROM items WHERE dataset_id = @id AND duplicate_of IS NOT NULL) AS duplicates`,
      ),
      saveStats: db.prepare(`UPDATE datasets SET stats = ? WHERE id = ?`),
      labels: db.prepare(
        `SELECT label, count(*) AS n FROM items WHERE dataset_id = ? GROUP BY label ORDER BY label`,
      ),
      rename: db.prepare(`UPDATE datasets SET name = ? WHERE id = ? AND status = 'ready'`),
      delete: db.prepare(`DELETE FROM datasets WHERE id = ?`),
      shape: db.prepare(
        `SELECT width, height, channels, (SELECT count(*) FROM items WHERE dataset_id = d.id) AS items
         FROM datasets d WHERE id = ? AND status = 'ready'`,
      ),
      unfinished: db.prepare(`SELECT id, owner FROM datasets WHERE status = 'importing'`),
      count: db.prepare(`SELECT count(*) AS n FROM items WHERE dataset_id = ?`),
      countLabel: db.prepare(`SELECT count(*) AS n FROM items WHERE dataset_id = ? AND label IS ?`),
      page: db.prepare(
        `SELECT id, path, label, pixels FROM items WHERE dataset_id = ?
         ORDER BY position LIMIT ? OFFSET ?`,
      ),
      pageLabel: db.prepare(
        `SELECT id, path, label, pixels FROM items WHERE dataset_id = ? AND label IS ?
         ORDER BY position LIMIT ? OFFSET ?`,
      ),
      facets: db.prepare(`SELECT path, label FROM items WHERE dataset_id = ? ORDER BY position`),
      at: db.prepare(
        `SELECT id, path, label, pixels FROM items WHERE dataset_id = ? AND position = ?`,
      ),
      allPixels: db.prepare(
        `SELECT id, label, pixels FROM items WHERE dataset_id = ? ORDER BY position`,
      ),
      skipped: db.prepare(`SELECT path, reason FROM skipped WHERE dataset_id = ? ORDER BY id`),
      duplicates: db.prepare(
        `SELECT i.path AS path, o.path AS sameAs FROM items i JOIN items o ON o.id = i.duplicate_of
         WHERE i.dataset_id = ? ORDER BY i.position`,
      ),
    }
  }

  /** Starts a dataset; it stays invisible until markReady, and is removed if the import fails. */
  create(dataset: NewDataset): number {
    const { name, width, height, channels, options, sources } = dataset
    const info = this.statements.create.run(
      name,
      width,
      height,
      channels,
      options.fit,
      JSON.stringify(options),
      JSON.stringify(sources),
      this.owner,
    )
    return Number(info.lastInsertRowid)
  }

  /** Appends items in one transaction; returns their ids in order. */
  addItems(datasetId: number, firstPosition: number, items: readonly NewItem[]): number[] {
    return this.db.transaction(() =>
      items.map((item, i) => {
        const info = this.statements.insertItem.run(
          datasetId,
          firstPosition + i,
          item.path,
          item.label,
          item.pixels,
          item.contentHash,
          item.duplicateOf,
        )
        if (item.set) this.statements.tagItem.run(info.lastInsertRowid, item.set)
        return Number(info.lastInsertRowid)
      }),
    )()
  }

  addSkipped(datasetId: number, skipped: readonly SkippedFile[]): void {
    this.db.transaction(() => {
      for (const s of skipped) this.statements.insertSkipped.run(datasetId, s.path, s.reason)
    })()
  }

  markReady(datasetId: number): void {
    this.db.transaction(() => {
      this.computeStats(datasetId)
      this.statements.markReady.run(datasetId)
    })()
  }

  private computeStats(datasetId: number): DatasetStats {
    const counts = this.statements.counts.get({ id: datasetId }) as Omit<DatasetStats, 'labels'>
    const labels: Record<string, number> = {}
    for (const { label, n } of this.statements.labels.all(datasetId) as {
      label: string | null
      n: number
    }[])
      if (label !== null) labels[label] = n
    const rows = this.statements.sets.all(datasetId, JSON.stringify(itemSets)) as TagCount[]
    const sets = Object.fromEntries(rows.map((row) => [row.tag, row.n]))
    const stats = { ...counts, labels, sets }
    this.statements.saveStats.run(JSON.stringify(stats), datasetId)
    return stats
  }

  delete(datasetId: number): boolean {
    return this.statements.delete.run(datasetId).changes > 0
  }

  /**
   * Removes datasets left half-made by an import whose owner is gone (killed mid-way); an import
   * another live process is running is left alone. Returns the ids removed.
   */
  removeUnfinished(orphaned: (owner: number | null) => boolean): number[] {
    const rows = this.statements.unfinished.all() as { id: number; owner: number | null }[]
    const ids = rows.filter((row) => orphaned(row.owner)).map((row) => row.id)
    for (const id of ids) this.statements.delete.run(id)
    return ids
  }

  list(): DatasetSummary[] {
    return (this.statements.list.all() as DatasetRow[]).map((row) => this.summary(row))
  }

  get(datasetId: number): DatasetSummary {
    const row = this.statements.get.get(datasetId) as DatasetRow | undefined
    if (!row)
      throw new StudioError('not-found', `There is no dataset ${datasetId} in this workspace.`)
    return this.summary(row)
  }

  rename(datasetId: number, name: string): DatasetSummary {
    if (this.statements.rename.run(name, datasetId).changes === 0)
      throw new StudioError('not-found', `There is no dataset ${datasetId} in this workspace.`)
    return this.get(datasetId)
  }

  items(datasetId: number, offset: number, limit: number, label?: string | null): ItemPage {
    // not get(): its label counts scan the whole dataset, and the grid asks for pages often
    const dataset = this.shape(datasetId)
    const filtered = label !== undefined
    const total = filtered
      ? (this.statements.countLabel.get(datasetId, label) as { n: number }).n
      : (this.statements.count.get(datasetId) as { n: number }).n
    const rows = (
      filtered
        ? this.statements.pageLabel.all(datasetId, label, limit, offset)
        : this.statements.page.all(datasetId, limit, offset)
    ) as { id: number; path: string; label: string | null; pixels: Buffer }[]
    const channels = dataset.channels === 'rgb' ? 3 : 1
    const itemBytes = dataset.width * dataset.height * channels
    const pixels = new Uint8Array(rows.length * itemBytes)
    rows.forEach((row, i) => pixels.set(row.pixels, i * itemBytes))
    return {
      total,
      offset,
      width: dataset.width,
      height: dataset.height,
      channels,
      ids: Int32Array.from(rows, (row) => row.id),
      labels: rows.map((row) => row.label),
      paths: rows.map((row) => row.path),
      pixels,
    }
  }

  /**
   * What colours and searches a scatter of every item: each item's label and folder as an index
   * into their name lists (−1: none), and its path, in dataset order.
   */
  facets(datasetId: number): ItemFacets {
    this.shape(datasetId)
    const rows = this.statements.facets.all(datasetId) as { path: string; label: string | null }[]
    const indexer = () => {
      const names: string[] = []
      const index = new Map<string, number>()
      const of = (name: string | null) => {
        if (name === null) return -1
        let i = index.get(name)
        if (i === undefined) {
          i = names.length
          index.set(name, i)
          names.push(name)
        }
        return i
      }
      return { names, of }
    }
    const labels = indexer()
    const folders = indexer()
    const folderOf = (path: string) => {
      const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
      return cut > 0 ? path.slice(0, cut) : null
    }
    return {
      labels: Int32Array.from(rows, (row) => labels.of(row.label)),
      labelNames: labels.names,
      folders: Int32Array.from(rows, (row) => folders.of(folderOf(row.path))),
      folderNames: readableFolderNames(folders.names),
      paths: rows.map((row) => row.path),
    }
  }

  /** The items at these positions (dataset order), in the order asked: a scatter's selection. */
  itemsAt(datasetId: number, positions: readonly number[]): ItemPage {
    const dataset = this.shape(datasetId)
    const channels = dataset.channels === 'rgb' ? 3 : 1
    const itemBytes = dataset.width * dataset.height * channels
    const rows = positions.map(
      (position) =>
        this.statements.at.get(datasetId, position) as
          { id: number; path: string; label: string | null; pixels: Buffer } | undefined,
    )
    if (rows.some((row) => !row))
      throw new StudioError(
        'not-found',
        `Dataset ${datasetId} has no item at one of these positions.`,
      )
    const pixels = new Uint8Array(rows.length * itemBytes)
    rows.forEach((row, i) => pixels.set(row!.pixels, i * itemBytes))
    return {
      total: dataset.items,
      offset: -1,
      width: dataset.width,
      height: dataset.height,
      channels,
      ids: Int32Array.from(rows, (row) => row!.id),
      labels: rows.map((row) => row!.label),
      paths: rows.map((row) => row!.path),
      pixels,
    }
  }

  /** Several groups of positions read in one transaction: a page per group, in the order asked. */
  itemsAtGroups(datasetId: number, groups: readonly (readonly number[])[]): ItemPage[] {
    return this.db.transaction(() =>
      groups.map((positions) => this.itemsAt(datasetId, positions)),
    )()
  }

  /**
   * Every item's pixels in dataset order, as one array (what training reads), in shared memory
   * so that training's helper threads read it without a copy.
   */
  allPixels(datasetId: number): {
    pixels: Uint8Array
    count: number
    size: number
    /** [height, width, channels] */
    image: [number, number, number]
    itemIds: Int32Array
    labels: (string | null)[]
  } {
    const dataset = this.shape(datasetId)
    const channels = dataset.channels === 'rgb' ? 3 : 1
    const size = dataset.width * dataset.height * channels
    const pixels = new Uint8Array(new SharedArrayBuffer(dataset.items * size))
    const itemIds = new Int32Array(dataset.items)
    const labels: (string | null)[] = []
    let row = 0
    for (const item of this.statements.allPixels.iterate(datasetId) as Iterable<{
      id: number
      label: string | null
      pixels: Buffer
    }>) {
      pixels.set(item.pixels, row * size)
      labels.push(item.label)
      itemIds[row++] = item.id
    }
    const image: [number, number, number] = [dataset.height, dataset.width, channels]
    return { pixels, count: row, size, image, itemIds, labels }
  }

  private shape(datasetId: number) {
    const row = this.statements.shape.get(datasetId) as
      { width: number; height: number; channels: 'grey' | 'rgb'; items: number } | undefined
    if (!row)
      throw new StudioError('not-found', `There is no dataset ${datasetId} in this workspace.`)
    return row
  }

  skipped(datasetId: number): { skipped: SkippedFile[]; duplicates: DuplicateFile[] } {
    this.get(datasetId)
    return {
      skipped: this.statements.skipped.all(datasetId) as SkippedFile[],
      duplicates: this.statements.duplicates.all(datasetId) as DuplicateFile[],
    }
  }

  private summary(row: DatasetRow): DatasetSummary {
    const stats = row.stats ? (JSON.parse(row.stats) as DatasetStats) : this.computeStats(row.id)
    return {
      id: row.id,
      name: row.name,
      createdAt: row.created_at,
      width: row.width,
      height: row.height,
      channels: row.channels,
      fit: row.fit,
      items: stats.items,
      skipped: stats.skipped,
      duplicates: stats.duplicates,
      labels: stats.labels,
      sets: stats.sets ?? {},
      sources: JSON.parse(row.sources) as string[],
    }
  }
}
