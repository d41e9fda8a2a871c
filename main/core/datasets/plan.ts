// From the files found to the sources to import, in path order: images, IDX images files
// paired with their labels files, NumPy arrays, and files skipped before any decoding.
import { basename } from 'node:path'
import type { ItemSet } from '../shared/items'
import { type IdxHeader, labelsBesides, pairingKey, peekIdx } from './idx'
import { applySidecars, readLabelsCsv, type LabelsCsv } from './labels-csv'
import { parseNpyHeader, peekNpy } from './npy'
import { npzArrayBytes, npzEntries, pickArrays, readNpzFile } from './npz'
import { decodeReason, describeExtension, SkipFile } from './reasons'
import type { FoundFile } from './scan'

/** `sidecar`: labels by index from a labels.csv (labels-csv.ts), over the array's own */
export type Source =
  | { kind: 'image'; path: string; label: string | null; ext: string; units: 1 }
  | {
      kind: 'idx'
      path: string
      labelsPath: string | null
      units: number
      sidecar?: Map<number, string>
      /** the set its items are tagged with, where the import holds a train and a test set */
      set?: ItemSet
    }
  | { kind: 'npy' | 'npz'; path: string; units: number; sidecar?: Map<number, string> }
  /** `units` is what the file counts for in progress: 0 for a note about a file already counted */
  | { kind: 'skip'; path: string; reason: string; units: number }

const knownNonImages: Record<string, string> = {
  '.zip': 'a zip archive: unpack it first',
  '.gz': 'a compressed file that is not an IDX (MNIST) file',
}

export async function planSources(files: readonly FoundFile[]): Promise<Source[]> {
  const idxHeaders = new Map<string, IdxHeader | SkipFile>()
  for (const file of files)
    if (file.kind === 'idx') idxHeaders.set(file.path, await peek(file.path))
  const twins = gzipTwins(files, idxHeaders)
  const pairs = await pairIdx(
    files.filter((file) => !twins.has(file.path)),
    idxHeaders,
    twins,
  )

  const sources: Source[] = []
  const sidecars: LabelsCsv[] = []
  for (const file of files) {
    switch (file.kind) {
      case 'labels': {
        const csv = await readLabelsCsv(file.path).catch(
          (error: unknown) => new SkipFile(decodeReason(error, file.ext)),
        )
        if (csv instanceof SkipFile)
          sources.push({ kind: 'skip', path: file.path, reason: csv.reason, units: 0 })
        else sidecars.push(csv)
        break
      }
      case 'npz': {
        const units = await peekNpz(file.path).catch(
          (error: unknown) => new SkipFile(decodeReason(error, file.ext)),
        )
        sources.push(
          units instanceof SkipFile
            ? { kind: 'skip', path: file.path, reason: units.reason, units: 1 }
            : { kind: 'npz', path: file.path, units },
        )
        break
      }
      case 'image':
        sources.push({ kind: 'image', path: file.path, label: file.label, ext: file.ext, units: 1 })
        break
      case 'npy': {
        const header = await peekNpy(file.path).catch(
          (error: unknown) => new SkipFile(decodeReason(error, file.ext)),
        )
        sources.push(
          header instanceof SkipFile
            ? { kind: 'skip', path: file.path, reason: header.reason, units: 1 }
            : { kind: 'npy', path: file.path, units: header.shape[0] },
        )
        break
      }
      case 'idx': {
        const header = idxHeaders.get(file.path)!
        const twin = twins.get(file.path)
        if (twin !== undefined)
          sources.push({ kind: 'skip', path: file.path, reason: twin, units: 0 })
        else if (header instanceof SkipFile)
          sources.push({ kind: 'skip', path: file.path, reason: header.reason, units: 1 })
        else if (header.dims.length === 3) sources.push(...pairs.get(file.path)!)
        else if (!pairs.has(file.path))
          sources.push({
            kind: 'skip',
            path: file.path,
            reason:
              'a labels file with no images file next to it (e.g. train-images-idx3-ubyte for train-labels-idx1-ubyte)',
            units: 1,
          })
        break
      }
      case 'unreadable':
        sources.push({
          kind: 'skip',
          path: file.path,
          reason: file.reason ?? 'the file could not be read',
          units: 1,
        })
        break
      case 'other': {
        const ext = file.ext.toLowerCase()
        const reason = knownNonImages[ext] ?? `not an image file (${describeExtension(ext)})`
        sources.push({ kind: 'skip', path: file.path, reason, units: 1 })
      }
    }
  }
  nameSets(sources)
  for (const { path, unused, rows, example } of applySidecars(sources, sidecars))
    sources.push({
      kind: 'skip',
      path,
      reason: `${unused} of its ${rows} rows name no imported image (such as '${example}'): those labels were not used`,
      units: 0,
    })
  return sources
}

/** The number of images in an .npz archive, from its images array's header. */
async function peekNpz(path: string): Promise<number> {
  const bytes = await readNpzFile(path)
  const { images } = pickArrays(npzEntries(bytes))
  return parseNpyHeader(npzArrayBytes(bytes, images, 65_536 + 12)).shape[0]
}

/**
 * IDX files given both gzipped and unpacked (torchvision's raw folders keep both): the gzipped
 * copy, when its header says the same as the unpacked one beside it, is imported once, through
 * the unpacked file, and listed with the reason. Maps each such copy to that reason.
 */
function gzipTwins(
  files: readonly FoundFile[],
  headers: Map<string, IdxHeader | SkipFile>,
): Map<string, string> {
  const twins = new Map<string, string>()
  for (const file of files) {
    if (!/\.gz$/i.test(file.path)) continue
    const unpacked = file.path.slice(0, -3)
    const [a, b] = [headers.get(file.path), headers.get(unpacked)]
    if (!a || !b || a instanceof SkipFile || b instanceof SkipFile) continue
    if (a.dims.join('×') !== b.dims.join('×')) continue
    const what =
      a.dims.length === 3 ? `the ${setName(unpacked)} images` : `the ${setName(unpacked)} labels`
    twins.set(
      file.path,
      `a duplicate: the gzipped copy of ${basename(unpacked)}, which holds the same ${a.dims.length === 3 ? 'images' : 'labels'}; ${what} were imported once, from ${basename(unpacked)}`,
    )
  }
  return twins
}

/** MNIST's sets by their usual names: train, and test for t10k. */
export function setOf(path: string): ItemSet | null {
  const name = basename(path).toLowerCase()
  if (name.startsWith('t10k') || name.startsWith('test')) return 'test'
  if (name.startsWith('train')) return 'train'
  return null
}

export function setName(path: string): string {
  const set = setOf(path)
  return set ? `${set} set` : `set of ${basename(path)}`
}

/**
 * An import of MNIST's (or torchvision's raw) train and test sets names each IDX images file's
 * items by its set; an import of one set, or of files not named so, names none.
 */
function nameSets(sources: Source[]): void {
  const idx = sources.filter((source) => source.kind === 'idx')
  const sets = new Set(idx.map((source) => setOf(source.path)))
  if (!sets.has('train') || !sets.has('test')) return
  for (const source of idx) {
    const set = setOf(source.path)
    if (set) source.set = set
  }
}

async function peek(path: string): Promise<IdxHeader | SkipFile> {
  return peekIdx(path).catch((error: unknown) => new SkipFile(decodeReason(error, '')))
}

/**
 * For each IDX images file, its sources: itself with its labels file when one pairs (given
 * together, or found side by side), plus a note when a labels file has the wrong count.
 * Labels files that were paired are keys too, mapped to nothing.
 */
async function pairIdx(
  files: readonly FoundFile[],
  headers: Map<string, IdxHeader | SkipFile>,
  twins: Map<string, string>,
): Promise<Map<string, Source[]>> {
  const labelsFiles: [string, IdxHeader][] = []
  for (const [path, h] of headers)
    if (!(h instanceof SkipFile) && h.dims.length === 1 && !twins.has(path))
      labelsFiles.push([path, h])
  const pairs = new Map<string, Source[]>()
  for (const file of files) {
    const header = headers.get(file.path)
    if (header === undefined || header instanceof SkipFile || header.dims.length !== 3) continue
    const key = pairingKey(file.path)
    let labels: [string, IdxHeader] | undefined = labelsFiles
      .filter(([path]) => !pairs.has(path) && pairingKey(path) === key)
      .sort(([a], [b]) => sameFolderFirst(file.path, a, b))[0]
    if (!labels)
      for (const path of await labelsBesides(file.path)) {
        const h = pairs.has(path) || twins.has(path) ? undefined : await peek(path)
        if (h && !(h instanceof SkipFile) && h.dims.length === 1) {
          labels = [path, h]
          break
        }
      }

    const images = header.dims[0]
    const sources: Source[] = [{ kind: 'idx', path: file.path, labelsPath: null, units: images }]
    if (labels) {
      const [labelsPath, labelsHeader] = labels
      pairs.set(labelsPath, [])
      if (labelsHeader.dims[0] === images) sources[0] = { ...sources[0], labelsPath } as Source
      else
        sources.push({
          kind: 'skip',
          path: labelsPath,
          reason: `the labels file has ${labelsHeader.dims[0].toLocaleString('en')} labels but ${basename(file.path)} has ${images.toLocaleString('en')} images: the images were imported without labels`,
          units: 0,
        })
    }
    pairs.set(file.path, sources)
  }
  return pairs
}

function sameFolderFirst(imagesPath: string, a: string, b: string): number {
  const folder = (path: string) => path.slice(0, path.length - basename(path).length)
  return Number(folder(b) === folder(imagesPath)) - Number(folder(a) === folder(imagesPath))
}
