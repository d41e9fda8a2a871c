import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importDataset } from '../../../../main/core/datasets/import'
import { parseNpyHeader } from '../../../../main/core/datasets/npy'
import { SkipFile } from '../../../../main/core/datasets/reasons'
import { writeNpy } from '../../../fixtures/arrays'
import { tempDir } from '../../../helpers/temp'
import { allItems, baseOptions, itemPixels, openStore } from './workspace'

function writeFileSyncIn(dir: string, name: string): string {
  writeFileSync(join(dir, name), '')
  return join(dir, name)
}

const ramp = (n: number, scale = 1) => Array.from({ length: n }, (_, i) => ((i * 37) % 256) * scale)

describe('NumPy .npy import', () => {
  it('imports uint8 N×H×W as grey items, bytes unchanged', async () => {
    const dir = tempDir()
    const values = ramp(3 * 8 * 8)
    const path = writeNpy(dir, 'digits.npy', { descr: '|u1', shape: [3, 8, 8], values })
    const { store } = openStore()
    const result = await importDataset(store, [path], baseOptions)
    expect(result.items).toBe(3)
    const page = allItems(store, result.datasetId)
    expect(page.paths).toEqual([`${path}#0`, `${path}#1`, `${path}#2`])
    expect(page.labels).toEqual([null, null, null])
    expect([...itemPixels(page, 2)]).toEqual(values.slice(128, 192))
  })

  it('imports float32 N×H×W×3 in [0, 1] as RGB, scaled to 0–255', async () => {
    const dir = tempDir()
    const bytes = ramp(2 * 4 * 4 * 3)
    const path = writeNpy(dir, 'colour.npy', {
      descr: '<f4',
      shape: [2, 4, 4, 3],
      values: bytes.map((v) => v / 255),
    })
    const { store } = openStore()
    const result = await importDataset(store, [path], { ...baseOptions, size: 4, channels: 'rgb' })
    const page = allItems(store, result.datasetId)
    expect(page.channels).toBe(3)
    expect([...itemPixels(page, 1)]).toEqual(bytes.slice(48))
  })

  it('imports float64 N×H×W×1 from a version 2.0 header, resized', async () => {
    const dir = tempDir()
    const path = writeNpy(dir, 'v2.npy', {
      descr: '<f8',
      shape: [2, 4, 4, 1],
      values: new Array(32).fill(0.5),
      version: 2,
    })
    const { store } = openStore()
    const result = await importDataset(store, [path], { ...baseOptions, size: 8 })
    const page = allItems(store, result.datasetId)
    expect(page.pixels.length).toBe(2 * 64)
    for (const v of page.pixels) expect(v).toBe(128)
  })

  it('flattens N×H×W×4 (RGBA) onto the background', async () => {
    const dir = tempDir()
    // one 2×2 image: white, fully transparent
    const path = writeNpy(dir, 'rgba.npy', {
      descr: '|u1',
      shape: [1, 2, 2, 4],
      values: [255, 255, 255, 0, 255, 255, 255, 0, 255, 255, 255, 0, 255, 255, 255, 0],
    })
    const { store } = openStore()
    const result = await importDataset(store, [path], {
      ...baseOptions,
      size: 2,
      background: 'black',
    })
    expect([...allItems(store, result.datasetId).pixels]).toEqual([0, 0, 0, 0])
  })

  it('skips arrays it cannot use, each with a clear reason', async () => {
    const dir = tempDir()
    const ok = writeNpy(dir, 'a-ok.npy', { descr: '|u1', shape: [1, 8, 8], values: ramp(64) })
    const fortran = writeNpy(dir, 'b-fortran.npy', {
      descr: '|u1',
      shape: [1, 8, 8],
      values: ramp(64),
      fortranOrder: true,
    })
    const outOfRange = writeNpy(dir, 'c-range.npy', {
      descr: '<f4',
      shape: [1, 2, 2],
      values: [0, 0.5, 1, 3],
    })
    const badShape = writeNpy(dir, 'd-shape.npy', { descr: '|u1', shape: [4, 4], values: ramp(16) })
    const empty = writeFileSyncIn(dir, 'e-empty.npy')
    const { store } = openStore()
    const result = await importDataset(store, [dir], baseOptions)
    expect(result.items).toBe(1)
    expect(allItems(store, result.datasetId).paths).toEqual([`${ok}#0`])
    expect(result.skipped).toEqual([
      {
        path: fortran,
        reason:
          'the array is stored in Fortran order: save it in C order (numpy.ascontiguousarray) and try again',
      },
      {
        path: outOfRange,
        reason: 'float values must lie in [0, 1]; this array ranges from 0 to 3',
      },
      {
        path: badShape,
        reason:
          "the array's shape is (4, 4): expected N×H×W, N×H×W×C or N×C×H×W with C = 1, 3 or 4",
      },
      { path: empty, reason: 'the file is empty' },
    ])
  })

  it('names unsupported dtypes and byte orders', () => {
    const header = (descr: string) => {
      const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (1, 2, 2), }`
      const bytes = Buffer.alloc(10 + dict.length)
      bytes.write('\x93NUMPY\x01\x00', 0, 'latin1')
      bytes.writeUInt16LE(dict.length, 8)
      bytes.write(dict, 10, 'latin1')
      return bytes
    }
    expect(parseNpyHeader(header('<f4'))).toMatchObject({ type: 'f4', shape: [1, 2, 2] })
    expect(() => parseNpyHeader(header('<i8'))).toThrow(SkipFile)
    expect(() => parseNpyHeader(header('<i8'))).toThrow(
      "NumPy arrays of type '<i8' are not supported",
    )
    expect(() => parseNpyHeader(header('>f4'))).toThrow('big-endian')
  })
})
