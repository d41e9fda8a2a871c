// From the files found to the sources to import, in path order: images, IDX images files
// paired with their labels files, NumPy arrays, and files skipped before any decoding.
import { basename } from 'node:path'
import { type IdxHeader, labelsBesides, pairingKey, peekIdx } from './idx'
import { peekNpy } from './npy'
import { decodeReason, describeExtension, SkipFile } from './reasons'
import type { FoundFile } from './scan'

export type Source =
  | { kind: 'image'; path: string; label: string | null; ext: string; units: 1 }
  | { kind: 'idx'; path: string; labelsPath: string | null; units: number }
  | { kind: 'npy'; path: string; units: number }
  /** `units` is what the file counts for in progress: 0 for a note about a file already counted */
  | { kind: 'skip'; path: string; reason: string; units: number }

const knownNonImages: Record<string, string> = {
  '.npz': 'NumPy .npz archives are not supported: save each array as .npy',
  '.zip': 'a zip archive: unpack it first',
  '.gz': 'a compressed file that is not an IDX (MNIST) file',
}

export async function planSources(files: readonly FoundFile[]): Promise<Source[]> {
  const idxHeaders = new Map<string, IdxHeader | SkipFile>()
  for (const file of files)
    if (file.kind === 'idx') idxHeaders.set(file.path, await peek(file.path))
  const pairs = await pairIdx(files, idxHeaders)

  const sources: Source[] = []
  for (const file of files) {
    switch (file.kind) {
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
        if (header instanceof SkipFile)
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
  return sources
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
): Promise<Map<string, Source[]>> {
  const labelsFiles: [string, IdxHeader][] = []
  for (const [path, h] of headers)
    if (!(h instanceof SkipFile) && h.dims.length === 1) labelsFiles.push([path, h])
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
        const h = pairs.has(path) ? undefined : await peek(path)
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
