// Working with a dataset's items (docs/working-with-data.md): the items table's query, tags,
// relabelling and saved selections. The params of their methods and the shapes they answer;
// TensorFlow-free, like the rest of main/core/shared, so the renderer imports it.
import { z } from 'zod'
import { id } from './schemas'

/** A label as the user types it; null is "no label". */
const labelName = z.string().trim().min(1).max(200)
const tagName = z.string().trim().min(1).max(100)
/** item ids (items.id), as the table and the selections return them */
const itemIds = z.array(z.number().int().positive()).max(1_000_000)

export const itemColumns = [
  'position',
  'path',
  'label',
  'split',
  'error',
  'cluster',
  'certainty',
  'tags',
] as const
export type ItemColumn = (typeof itemColumns)[number]
export const itemSplits = ['train', 'validation'] as const
export type ItemSplit = (typeof itemSplits)[number]
/**
 * The sets an import names its items by, as tags, where it holds both (docs/data.md): MNIST's
 * and torchvision's train and t10k files. Not a run's split, which is drawn from the dataset.
 */
export const itemSets = ['train', 'test'] as const
export type ItemSet = (typeof itemSets)[number]

/** The sets a dataset has (its summary's `sets`), train first, with their item counts. */
export function setCounts(sets: Record<string, number>): [ItemSet, number][] {
  return itemSets.filter((set) => sets[set] !== undefined).map((set) => [set, sets[set]])
}

/** The set an item's tags name, where one does. */
export function setOfTags(tags: readonly string[]): ItemSet | null {
  return itemSets.find((set) => tags.includes(set)) ?? null
}

const range = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
    message: 'min is above max.',
  })

/** What a query keeps: every field given must hold (AND); a list holds when any of it does (OR). */
export const itemFilter = z.object({
  /** in the file name or path, the label or a tag; case-insensitive */
  text: z.string().max(200).optional(),
  /** null: the unlabelled */
  labels: z.array(z.string().nullable()).max(10_000).optional(),
  /** cluster indices (0-based) of the query's clustering; -1: not assigned */
  clusters: z.array(z.number().int().min(-1)).max(1000).optional(),
  splits: z.array(z.enum(itemSplits)).max(2).optional(),
  /** items carrying any of these tags */
  tags: z.array(z.string()).max(1000).optional(),
  /** reconstruction error (MSE per pixel) of the query's run */
  error: range.optional(),
  /** certainty of the query's clustering, 0…1 */
  certainty: range.optional(),
  /** the items of this saved selection */
  selectionId: id.optional(),
  /** only these items */
  ids: itemIds.optional(),
  /** only the items at these dataset positions (a plot's selection) */
  positions: z.array(z.number().int().min(0)).max(1_000_000).optional(),
})
export type ItemFilter = z.output<typeof itemFilter>

export const itemQueryParams = z.object({
  datasetId: id,
  /** the run whose reconstruction errors and split fill those columns */
  runId: id.optional(),
  /** the clustering (of that run) whose clusters and certainty fill those columns */
  clusteringId: id.optional(),
  filter: itemFilter.default({}),
  sort: z
    .object({
      column: z.enum(itemColumns).default('position'),
      descending: z.boolean().default(false),
    })
    .default({ column: 'position', descending: false }),
  offset: z.number().int().min(0).default(0),
  /** rows of the page; 0 answers only the counts and the matching positions */
  limit: z.number().int().min(0).max(2000).default(100),
  /** also answer every matching item's position, for cross-filtering plots */
  matching: z.boolean().default(false),
})

export interface ItemRow {
  id: number
  /** the item's place in dataset order: the index plots and codes use */
  position: number
  /** relative to the folder every item of the dataset shares */
  path: string
  /** the file's name (an array item: file#index) */
  name: string
  label: string | null
  /** null without a run */
  split: ItemSplit | null
  /** reconstruction error (MSE per pixel); null without a run, or before its codes exist */
  error: number | null
  /** 0-based index of the cluster; null without a clustering */
  cluster: number | null
  clusterName: string | null
  /** null without a clustering, or for a method that gives none */
  certainty: number | null
  tags: string[]
}

export interface ItemQueryResult {
  /** items in the dataset */
  total: number
  /** items the filter keeps */
  matched: number
  offset: number
  rows: ItemRow[]
  /** every kept item's position, in the query's sort order; only when `matching` was asked */
  positions: Int32Array | null
  /** what the columns were filled from: null where the query gave none or it had nothing */
  sources: { runId: number | null; errors: boolean; clusteringId: number | null }
}

/** One relabelling: these items get this label (null: no label). */
export const relabelChange = z.object({ ids: itemIds.min(1), label: labelName.nullable() })
export type RelabelChange = z.output<typeof relabelChange>

export interface RelabelResult {
  /** items whose label changed */
  changed: number
  /** pass back as `changes` to items.relabel to undo: each item's label before */
  undo: RelabelChange[]
}

export interface TagCount {
  tag: string
  count: number
}

export interface SelectionSummary {
  id: number
  datasetId: number
  name: string
  count: number
  createdAt: string
  updatedAt: string
}

export interface Selection extends SelectionSummary {
  /** items.id, ascending */
  ids: Int32Array
  /** the same items' dataset positions, ascending */
  positions: Int32Array
}

export const itemParamSchemas = {
  'items.query': itemQueryParams,
  'items.tag': z.object({ datasetId: id, ids: itemIds.min(1), tag: tagName }),
  'items.untag': z.object({ datasetId: id, ids: itemIds.min(1), tag: tagName }),
  /** every tag used in the dataset, with how many items carry it */
  'items.tags': z.object({ datasetId: id }),
  'items.relabel': z.object({ datasetId: id, changes: z.array(relabelChange).min(1).max(10_000) }),
  /** a label renamed on every item; to a label that exists already, the two merge */
  'datasets.renameLabel': z.object({ id, from: labelName, to: labelName }),
  'selections.save': z.object({
    datasetId: id,
    name: z.string().trim().min(1).max(200),
    ids: itemIds,
    /** replace the selection of this name if there is one; without it, the name must be new */
    replace: z.boolean().default(false),
    /** also tag every item of the selection */
    tag: tagName.optional(),
  }),
  'selections.list': z.object({ datasetId: id }),
  'selections.get': z.object({ id }),
  'selections.rename': z.object({ id, name: z.string().trim().min(1).max(200) }),
  'selections.delete': z.object({ id }),
}

export interface ItemResults {
  'items.query': ItemQueryResult
  'items.tag': { changed: number }
  'items.untag': { changed: number }
  'items.tags': TagCount[]
  'items.relabel': RelabelResult
  'datasets.renameLabel': RelabelResult
  'selections.save': SelectionSummary
  'selections.list': SelectionSummary[]
  'selections.get': Selection
  'selections.rename': SelectionSummary
  'selections.delete': { deleted: boolean }
}
