// The work of an import as a lazy sequence of tasks, in item order. Each task gives the
// outcomes of one image file, or of a run of items of an array file (IDX, .npy or .npz).
import { createHash } from 'node:crypto'
import type { ItemSet } from '../shared/items'
import { cancelled } from '../errors'
import { channelCount, decodeImage, fromRaw, type PixelOptions } from './decode'
import { readRegularFile } from './files'
import { labelNamer, looksLikeFashionMnist, readIdx } from './idx'
import { channelsFirstNote, npyImages, parseNpyLabels, readNpy, type NpyArray } from './npy'
import { npzArrayBytes, npzEntries, pickArrays, readNpzFile } from './npz'
import type { Source } from './plan'
import { decodeReason, fsReason, SkipFile, tooManyPixelsReason } from './reasons'

export interface ItemOutcome {
  kind: 'item'
  path: string
  label: string | null
  pixels: Uint8Array
  contentHash: string | null
  /** the set it is tagged with (plan.ts's nameSets) */
  set?: ItemSet
}

export interface SkipOutcome {
  kind: 'skipped'
  path: string
  reason: string
  /** how many progress units this stands for (a whole array file counts its items) */
  units: number
}

export type Outcome = ItemOutcome | SkipOutcome

export type ImageSource = Extract<Source, { kind: 'image' }>

/** Reads and decodes one image file: `imageOutcome` here, or the same in a worker thread. */
export type ImageDecoder = (source: ImageSource, options: PixelOptions) => Promise<Outcome[]>

/** Started when called, so that a pool can choose how many run at once. */
export type Task = () => Outcome[] | Promise<Outcome[]>

/** Items of an array file that need no resizing are handed over this many at a time. */
const arrayChunk = 500

export async function* importTasks(
  sources: readonly Source[],
  options: PixelOptions,
  signal?: AbortSignal,
  decodeImageFile: ImageDecoder = imageOutcome,
): AsyncGenerator<Task> {
  for (const source of sources) {
    if (signal?.aborted) throw cancelled()
    switch (source.kind) {
      case 'image':
        yield () => decodeImageFile(source, options)
        break
      case 'skip':
        yield () => [
          { kind: 'skipped', path: source.path, reason: source.reason, units: source.units },
        ]
        break
      case 'idx':
      case 'npy':
      case 'npz': {
        let array: ArrayItems
        try {
          array =
            source.kind === 'idx'
              ? await idxItems(source.path, source.labelsPath)
              : source.kind === 'npy'
                ? await npyItems(source.path)
                : await npzItems(source.path)
          const { sidecar } = source
          if (source.kind === 'idx') array.set = source.set
          if (sidecar) {
            const own = array.labelOf
            array.labelOf = (index) => sidecar.get(index) ?? own(index)
          }
        } catch (error) {
          yield () => [
            {
              kind: 'skipped',
              path: source.path,
              reason: decodeReason(error, ''),
              units: source.units,
            },
          ]
          break
        }
        for (const note of array.notes) yield () => [note]
        yield* arrayTasks(array, options, signal)
      }
    }
  }
}

export async function imageOutcome(
  source: ImageSource,
  options: PixelOptions,
  read: (path: string) => Buffer | Promise<Buffer> = readRegularFile,
): Promise<Outcome[]> {
  const { path, label, ext } = source
  try {
    const bytes = await read(path)
    const contentHash = createHash('sha1').update(bytes).digest('hex')
    const pixels = await decodeImage(bytes, ext, options)
    return [{ kind: 'item', path, label, pixels, contentHash }]
  } catch (error) {
    return [
      { kind: 'skipped', path, reason: fsReason(error) ?? decodeReason(error, ext), units: 1 },
    ]
  }
}

interface ArrayItems {
  path: string
  /** N×H×W×C uint8 */
  values: Uint8Array
  count: number
  height: number
  width: number
  channels: 1 | 3 | 4
  labelOf: (index: number) => string | null
  /** skipped entries about companion files (a labels file that did not fit) */
  notes: SkipOutcome[]
  set?: ItemSet
}

async function idxItems(path: string, labelsPath: string | null): Promise<ArrayItems> {
  const images = await readIdx(path)
  const [count, height, width] = images.header.dims
  const values = images.bytes.subarray(images.header.dataOffset)
  const noLabels = () => null
  const result: ArrayItems = {
    path,
    values,
    count,
    height,
    width,
    channels: 1,
    labelOf: noLabels,
    notes: [],
  }
  if (labelsPath === null) return result
  try {
    const labels = await readIdx(labelsPath)
    if (labels.header.dims.length !== 1 || labels.header.dims[0] !== count)
      throw new SkipFile(`the labels file does not have one label for each of the ${count} images`)
    const offset = labels.header.dataOffset
    // Fashion-MNIST's class names by what the files hold, not by a word in their path
    const fashion = looksLikeFashionMnist(
      { dims: images.header.dims, values },
      labels.bytes.subarray(offset, offset + count),
    )
    const names = labelNamer(fashion)
    result.labelOf = (index) => names(labels.bytes[offset + index])
  } catch (error) {
    const reason = `${decodeReason(error, '')}: the images were imported without labels`
    result.notes.push({ kind: 'skipped', path: labelsPath, reason, units: 0 })
  }
  return result
}

async function npyItems(path: string): Promise<ArrayItems> {
  const array = await readNpy(path)
  return { path, ...array, labelOf: () => null, notes: layoutNotes(path, array) }
}

/** The images of an .npz archive, with its labels array when it has one that fits. */
async function npzItems(path: string): Promise<ArrayItems> {
  const bytes = await readNpzFile(path)
  const { images, labels } = pickArrays(npzEntries(bytes))
  const array = npyImages(npzArrayBytes(bytes, images))
  const result: ArrayItems = {
    path,
    ...array,
    labelOf: () => null,
    notes: layoutNotes(path, array),
  }
  if (!labels) return result
  try {
    const names = parseNpyLabels(npzArrayBytes(bytes, labels), array.count)
    // Fashion-MNIST's class names by what the arrays hold, as for IDX files
    const digits = names.every((name) => /^\d$/.test(name))
    const fashion =
      digits &&
      array.channels === 1 &&
      looksLikeFashionMnist(
        { dims: [array.count, array.height, array.width], values: array.values },
        Uint8Array.from(names, Number),
      )
    const namer = labelNamer(fashion)
    result.labelOf = (index) =>
      /^\d+$/.test(names[index]) ? namer(Number(names[index])) : names[index]
  } catch (error) {
    const reason = `its array '${labels.name}' was not taken as labels (${decodeReason(error, '')}): the images of '${images.name}' were imported without labels`
    result.notes.push({ kind: 'skipped', path, reason, units: 0 })
  }
  return result
}

/** The note a channel-first array gets: it was converted, not skipped. */
function layoutNotes(path: string, array: NpyArray): SkipOutcome[] {
  return array.header.channelsFirst
    ? [{ kind: 'skipped', path, reason: channelsFirstNote(array.header.shape), units: 0 }]
    : []
}

function* arrayTasks(
  array: ArrayItems,
  options: PixelOptions,
  signal?: AbortSignal,
): Generator<Task> {
  const { path, values, count, height, width, channels, labelOf, set } = array
  if (width * height > options.maxPixels) {
    const reason = tooManyPixelsReason(width, height, options.maxPixels)
    yield () => [{ kind: 'skipped', path, reason, units: count }]
    return
  }
  const itemBytes = height * width * channels
  const outputChannels = channelCount(options)
  const item = (index: number, pixels: Uint8Array): ItemOutcome => ({
    kind: 'item',
    path: `${path}#${index}`,
    label: labelOf(index),
    pixels,
    contentHash: null,
    ...(set && { set }),
  })
  const direct =
    height === options.size &&
    width === options.size &&
    (channels === 1 || channels === outputChannels)
  if (direct) {
    // Already the right size: copy the bytes (or replicate grey into RGB), no decoder involved.
    for (let start = 0; start < count; start += arrayChunk) {
      if (signal?.aborted) throw cancelled()
      const end = Math.min(count, start + arrayChunk)
      yield () => {
        const outcomes: Outcome[] = []
        for (let i = start; i < end; i++) {
          const pixels = values.subarray(i * itemBytes, (i + 1) * itemBytes)
          outcomes.push(item(i, channels === outputChannels ? pixels : greyToRgb(pixels)))
        }
        return outcomes
      }
    }
    return
  }
  for (let i = 0; i < count; i++) {
    if (i % arrayChunk === 0 && signal?.aborted) throw cancelled()
    const pixels = values.subarray(i * itemBytes, (i + 1) * itemBytes)
    yield () =>
      fromRaw(pixels, width, height, channels, options).then(
        (resized): Outcome[] => [item(i, resized)],
        (error: unknown): Outcome[] => [
          { kind: 'skipped', path: `${path}#${i}`, reason: decodeReason(error, ''), units: 1 },
        ],
      )
  }
}

function greyToRgb(grey: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(grey.length * 3)
  for (let i = 0; i < grey.length; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = grey[i]
  return rgb
}
