// Makes resources/sample/fashion-mnist: the first N images of Fashion-MNIST's test set with their
// labels, in the IDX format the importer reads. Run once by a maintainer:
//   node main/scripts/make-sample.js /usr/share/datasets/fashion-mnist 2000
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'

const [source = '/usr/share/datasets/fashion-mnist', countArg = '2000'] = process.argv.slice(2)
const count = Number(countArg)
const out = join(import.meta.dirname, '..', '..', 'resources', 'sample', 'fashion-mnist')

const images = gunzipSync(readFileSync(join(source, 't10k-images-idx3-ubyte.gz')))
const labels = gunzipSync(readFileSync(join(source, 't10k-labels-idx1-ubyte.gz')))

const imageHeader = Buffer.from(images.subarray(0, 16))
imageHeader.writeUInt32BE(count, 4)
const labelHeader = Buffer.from(labels.subarray(0, 8))
labelHeader.writeUInt32BE(count, 4)
const pixels = images.subarray(16, 16 + count * 28 * 28)

writeFileSync(
  join(out, 'sample-images-idx3-ubyte.gz'),
  gzipSync(Buffer.concat([imageHeader, pixels]), { level: 9 }),
)
writeFileSync(
  join(out, 'sample-labels-idx1-ubyte.gz'),
  gzipSync(Buffer.concat([labelHeader, labels.subarray(8, 8 + count)]), { level: 9 }),
)
console.log(`wrote ${count} images to ${out}`)
