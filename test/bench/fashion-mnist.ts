// Debian's dataset-fashion-mnist as the benches read it: the IDX files of the sets asked for,
// joined in order (train, then t10k), as bytes or as pixels in [0, 1], with their labels.
import { join } from 'node:path'
import { readIdx } from '../../main/core/datasets/idx'

/** Debian's folder, or BENCH_FASHION_DIR (the same four .gz files, where there is no package) */
export const fashionFolder = process.env.BENCH_FASHION_DIR ?? '/usr/share/datasets/fashion-mnist'
export type FashionPart = 'train' | 't10k'

const imagesOf = (part: FashionPart) => join(fashionFolder, `${part}-images-idx3-ubyte.gz`)
const labelsOf = (part: FashionPart) => join(fashionFolder, `${part}-labels-idx1-ubyte.gz`)

/** The images of `parts` as 28×28 bytes, one row of 784 per image, and their labels. */
export async function fashionMnistBytes(
  parts: FashionPart[] = ['train', 't10k'],
): Promise<{ bytes: Uint8Array; labels: Int32Array; n: number }> {
  const read = await Promise.all(
    parts.map(async (part) => ({
      images: await readIdx(imagesOf(part)),
      labels: await readIdx(labelsOf(part)),
    })),
  )
  const n = read.reduce((sum, part) => sum + part.labels.header.dims[0], 0)
  const bytes = new Uint8Array(n * 784)
  const labels = new Int32Array(n)
  let row = 0
  for (const { images, labels: partLabels } of read) {
    const count = partLabels.header.dims[0]
    const from = images.header.dataOffset
    bytes.set(images.bytes.subarray(from, from + count * 784), row * 784)
    const at = partLabels.header.dataOffset
    labels.set(partLabels.bytes.subarray(at, at + count), row)
    row += count
  }
  return { bytes, labels, n }
}

/** The first `limit` images of `parts` (all by default) as pixels / 255, and their labels. */
export async function fashionMnist(
  parts: FashionPart[] = ['train', 't10k'],
  limit = Infinity,
): Promise<{ pixels: Float32Array; labels: Int32Array; n: number }> {
  const all = await fashionMnistBytes(parts)
  const n = Math.min(all.n, limit)
  const pixels = new Float32Array(n * 784)
  for (let i = 0; i < pixels.length; i++) pixels[i] = all.bytes[i] / 255
  return { pixels, labels: all.labels.slice(0, n), n }
}
