// The ZIP stream of a folder export, read back by Python's zipfile (CRCs checked), with and
// without its ZIP64 end records (forced here with a low threshold: 65,535 files would be slow).
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { filesUnder, zipStream } from '../../../main/serve/zip'
import { tempDir } from '../../helpers/temp'

async function zipOf(folder: string, zip64Above?: { count: number; offset: number }) {
  const chunks: Buffer[] = []
  for await (const chunk of zipStream(folder, await filesUnder(folder), 'out', zip64Above))
    chunks.push(chunk)
  const file = join(tempDir('studio-zip-'), 'out.zip')
  writeFileSync(file, Buffer.concat(chunks))
  const script =
    'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\n' +
    'print(json.dumps([[i.filename, z.read(i).hex()] for i in z.infolist()]))'
  const result = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(result.stderr)
  return { entries: JSON.parse(result.stdout) as [string, string][], bytes: Buffer.concat(chunks) }
}

describe('zipStream', () => {
  const folder = () => {
    const dir = tempDir('studio-zip-src-')
    mkdirSync(join(dir, 'é', 'deep'), { recursive: true })
    writeFileSync(join(dir, 'a.bin'), Buffer.from([0, 1, 2, 255]))
    writeFileSync(join(dir, 'é', 'deep', 'b.txt'), 'hello')
    writeFileSync(join(dir, 'empty'), '')
    return dir
  }
  const expected = [
    ['out/a.bin', '000102ff'],
    ['out/empty', ''],
    ['out/é/deep/b.txt', Buffer.from('hello').toString('hex')],
  ]

  it('stores every file under the prefix, UTF-8 names included', async () => {
    const { entries, bytes } = await zipOf(folder())
    expect(entries).toEqual(expected)
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(false)
  })

  it('writes ZIP64 end records that readers follow when the counts call for them', async () => {
    const { entries, bytes } = await zipOf(folder(), { count: 2, offset: 2 ** 32 - 1 })
    expect(entries).toEqual(expected)
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true)
  })
})
