import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { float32Bytes } from '../../../../main/core/export/files'
import { npyFloat32Header } from '../../../../main/core/export/npy'
import { tempDir } from '../../../helpers/temp'
import { numpyLoad } from './python'

describe('npyFloat32Header', () => {
  it('is version 1.0, padded to 64 bytes, ending in a newline, with its length little-endian', () => {
    const header = Buffer.from(npyFloat32Header([60000, 32]))
    expect(header.toString('latin1', 0, 8)).toBe('\x93NUMPY\x01\x00')
    expect(header.length % 64).toBe(0)
    expect(header.readUInt16LE(8)).toBe(header.length - 10)
    expect(header[header.length - 1]).toBe(0x0a)
    expect(header.toString('latin1', 10).trimEnd()).toBe(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 32), }",
    )
  })

  it('reads back in numpy with the same shape and values', () => {
    const dir = tempDir()
    const values = Float32Array.from({ length: 24 }, (_, i) => Math.fround((i - 7) / 3))
    values[5] = NaN
    const cases: [string, number[]][] = [
      ['matrix.npy', [6, 4]],
      ['cube.npy', [2, 3, 4]],
      ['vector.npy', [24]],
    ]
    for (const [name, shape] of cases) {
      const file = join(dir, name)
      writeFileSync(file, Buffer.concat([npyFloat32Header(shape), float32Bytes(values)]))
      const loaded = numpyLoad(file)
      expect(loaded.shape).toEqual(shape)
      expect(loaded.dtype).toBe('<f4')
      expect(loaded.values).toEqual(Array.from(values, (v) => (Number.isNaN(v) ? null : v)))
    }
  })
})
