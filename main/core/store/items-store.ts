// The items' tags, labels and saved selections (migration 009, docs/working-with-data.md).
// Relabelling answers what it replaced, so every change can be undone with the same method.
import { StudioError } from '../errors'
import {
  itemSets,
  type RelabelChange,
  type RelabelResult,
  type Selection,
  type SelectionSummary,
  type TagCount,
} from '../shared/items'
import type { Workspace } from './workspace'

/** A set's tag (train, test): the dataset's summary counts those (datasets-store.ts). */
const setTag = (tag: string) => (itemSets as readonly string[]).includes(tag)

interface SelectionRow {
  id: number
  dataset_id: number
  name: string
  count: number
  created_at: string
  updated_at: string
}

const now = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`
const selectionColumns = 'id, dataset_id, name, count, created_at, updated_at'
const blob = (values: Int32Array) =>
  Buffer.from(values.buffer, values.byteOffset, values.byteLength)

/** Prepared statements over item_tags, selections and the items' labels. */
export class ItemsStore {
  private readonly statements
  /** bumped on every write through this store: the query's cache (items/query.ts) checks it */
  version = 0

  constructor(private readonly db: Workspace) {
    this.statements = {
      dataset: db.prepare(`SELECT id FROM datasets WHERE id = ? AND status = 'ready'`),
      // ids of the dataset among a JSON list of ids: one statement whatever the list's length
      // (IN, not a join: a join let SQLite scan the items once per id, 76 s for 5,000 of 70,000)
      inDataset: db.prepare(
        `SELECT id, position, label FROM items
         WHERE id IN (SELECT value FROM json_each(?)) AND dataset_id = ? ORDER BY id`,
      ),
      tag: db.prepare(`INSERT OR IGNORE INTO item_tags (item_id, tag) VALUES (?, ?)`),
      untag: db.prepare(`DELETE FROM item_tags WHERE item_id = ? AND tag = ?`),
      tags: db.prepare(
        `SELECT t.tag, count(*) AS count FROM item_tags t JOIN items i ON i.id = t.item_id
         WHERE i.dataset_id = ? GROUP BY t.tag ORDER BY t.tag`,
      ),
      itemTags: db.prepare(
        `SELECT i.position, t.tag FROM item_tags t JOIN items i ON i.id = t.item_id
         WHERE i.dataset_id = ? ORDER BY i.position, t.tag`,
      ),
      setLabel: db.prepare(`UPDATE items SET label = ? WHERE id = ?`),
      withLabel: db.prepare(`SELECT id FROM items WHERE dataset_id = ? AND label = ? ORDER BY id`),
      // the dataset's label counts are kept with it (migration 004): read again when next asked
      staleStats: db.prepare(`UPDATE datasets SET stats = NULL WHERE id = ?`),
      saveSelection: db.prepare(
        `INSERT INTO selections (dataset_id, name, item_ids, count) VALUES (?, ?, ?, ?)`,
      ),
      replaceSelection: db.prepare(
        `UPDATE selections SET item_ids = ?, count = ?, updated_at = ${now} WHERE id = ?`,
      ),
      selectionNamed: db.prepare(`SELECT id FROM selections WHERE dataset_id = ? AND name = ?`),
      selection: db.prepare(`SELECT ${selectionColumns} FROM selections WHERE id = ?`),
      selectionIds: db.prepare(`SELECT item_ids FROM selections WHERE id = ?`),
      selections: db.prepare(
        `SELECT ${selectionColumns} FROM selections WHERE dataset_id = ? ORDER BY name`,
      ),
      renameSelection: db.prepare(
        `UPDATE selections SET name = ?, updated_at = ${now} WHERE id = ?`,
      ),
      deleteSelection: db.prepare(`DELETE FROM selections WHERE id = ?`),
      positionsOf: db.prepare(
        `SELECT position FROM items WHERE id IN (SELECT value FROM json_each(?)) ORDER BY position`,
      ),
    }
  }

  /** The items of `ids` that belong to the dataset; any other id is refused, naming it. */
  private items(datasetId: number, ids: readonly number[]) {
    this.dataset(datasetId)
    const unique = [...new Set(ids)]
    const rows = this.statements.inDataset.all(JSON.stringify(unique), datasetId) as {
      id: number
      position: number
      label: string | null
    }[]
    if (rows.length !== unique.length) {
      const found = new Set(rows.map((row) => row.id))
      const missing = unique.filter((id) => !found.has(id))
      throw new StudioError(
        'not-found',
        `Dataset ${datasetId} has no item ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''}.`,
      )
    }
    return rows
  }

  private dataset(datasetId: number): void {
    if (!this.statements.dataset.get(datasetId))
      throw new StudioError('not-found', `There is no dataset ${datasetId} in this workspace.`)
  }

  /** `stale`: a dataset whose summary's counts (labels, sets) the work changes */
  private write<T>(work: () => T, stale: number | null = null): T {
    const result = this.db.transaction(() => {
      if (stale !== null) this.statements.staleStats.run(stale)
      return work()
    })()
    this.version++
    return result
  }

  tag(datasetId: number, ids: readonly number[], tag: string): { changed: number } {
    const rows = this.items(datasetId, ids)
    return this.write(
      () => ({
        changed: rows.reduce((n, row) => n + this.statements.tag.run(row.id, tag).changes, 0),
      }),
      setTag(tag) ? datasetId : null,
    )
  }

  untag(datasetId: number, ids: readonly number[], tag: string): { changed: number } {
    const rows = this.items(datasetId, ids)
    return this.write(
      () => ({
        changed: rows.reduce((n, row) => n + this.statements.untag.run(row.id, tag).changes, 0),
      }),
      setTag(tag) ? datasetId : null,
    )
  }

  /** Every tag of the dataset with its item count, by name. */
  tags(datasetId: number): TagCount[] {
    this.dataset(datasetId)
    return this.statements.tags.all(datasetId) as TagCount[]
  }

  /** Each tagged item's tags, by position. */
  tagsByPosition(datasetId: number): Map<number, string[]> {
    const tags = new Map<number, string[]>()
    for (const row of this.statements.itemTags.iterate(datasetId) as Iterable<{
      position: number
      tag: string
    }>) {
      const list = tags.get(row.position)
      if (list) list.push(row.tag)
      else tags.set(row.position, [row.tag])
    }
    return tags
  }

  /**
   * Sets the labels the changes name, all or none (one transaction); answers, per label the
   * items had before, the changes that put them back.
   */
  relabel(datasetId: number, changes: readonly RelabelChange[]): RelabelResult {
    const planned = new Map<number, { before: string | null; after: string | null }>()
    for (const change of changes)
      for (const row of this.items(datasetId, change.ids))
        planned.set(row.id, {
          before: planned.get(row.id)?.before ?? row.label,
          after: change.label,
        })
    const undo = new Map<string | null, number[]>()
    let changed = 0
    this.write(() => {
      for (const [id, { before, after }] of planned) {
        if (before === after) continue
        this.statements.setLabel.run(after, id)
        changed++
        const ids = undo.get(before)
        if (ids) ids.push(id)
        else undo.set(before, [id])
      }
      if (changed) this.statements.staleStats.run(datasetId)
    })
    return { changed, undo: [...undo].map(([label, ids]) => ({ label, ids })) }
  }

  /** Renames a label on every item that has it; into a label that exists, the two merge. */
  renameLabel(datasetId: number, from: string, to: string): RelabelResult {
    this.dataset(datasetId)
    const ids = (this.statements.withLabel.all(datasetId, from) as { id: number }[]).map(
      (row) => row.id,
    )
    if (!ids.length)
      throw new StudioError('not-found', `No item of dataset ${datasetId} is labelled “${from}”.`)
    return this.relabel(datasetId, [{ ids, label: to }])
  }

  saveSelection(
    datasetId: number,
    name: string,
    ids: readonly number[],
    options: { replace: boolean; tag?: string },
  ): SelectionSummary {
    const rows = ids.length ? this.items(datasetId, ids) : (this.dataset(datasetId), [])
    const sorted = Int32Array.from(rows, (row) => row.id)
    const existing = this.statements.selectionNamed.get(datasetId, name) as
      { id: number } | undefined
    if (existing && !options.replace)
      throw new StudioError(
        'bad-params',
        `Dataset ${datasetId} already has a selection named “${name}”: choose another name, or replace it.`,
      )
    const id = this.write(() => {
      if (options.tag) for (const row of rows) this.statements.tag.run(row.id, options.tag)
      if (existing) {
        this.statements.replaceSelection.run(blob(sorted), sorted.length, existing.id)
        return existing.id
      }
      return Number(
        this.statements.saveSelection.run(datasetId, name, blob(sorted), sorted.length)
          .lastInsertRowid,
      )
    })
    return this.selection(id)
  }

  listSelections(datasetId: number): SelectionSummary[] {
    this.dataset(datasetId)
    return (this.statements.selections.all(datasetId) as SelectionRow[]).map(selectionSummary)
  }

  selection(id: number): SelectionSummary {
    const row = this.statements.selection.get(id) as SelectionRow | undefined
    if (!row) throw new StudioError('not-found', `There is no selection ${id} in this workspace.`)
    return selectionSummary(row)
  }

  /** A selection with its item ids and their positions; items deleted since are left out. */
  selectionWithItems(id: number): Selection {
    const summary = this.selection(id)
    const row = this.statements.selectionIds.get(id) as { item_ids: Buffer }
    const bytes = new Uint8Array(row.item_ids)
    const stored = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
    const positions = (
      this.statements.positionsOf.all(JSON.stringify(Array.from(stored))) as { position: number }[]
    ).map((r) => r.position)
    return { ...summary, ids: Int32Array.from(stored), positions: Int32Array.from(positions) }
  }

  renameSelection(id: number, name: string): SelectionSummary {
    const { datasetId } = this.selection(id)
    const clash = this.statements.selectionNamed.get(datasetId, name) as { id: number } | undefined
    if (clash && clash.id !== id)
      throw new StudioError(
        'bad-params',
        `Dataset ${datasetId} already has a selection named “${name}”.`,
      )
    this.write(() => this.statements.renameSelection.run(name, id))
    return this.selection(id)
  }

  deleteSelection(id: number): boolean {
    return this.write(() => this.statements.deleteSelection.run(id).changes > 0)
  }
}

function selectionSummary(row: SelectionRow): SelectionSummary {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    name: row.name,
    count: row.count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
