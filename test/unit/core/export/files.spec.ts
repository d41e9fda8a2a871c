import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../../main/core/errors'
import { float32Bytes, staged } from '../../../../main/core/export/files'
import { tempDir } from '../../../helpers/temp'

describe('staged', () => {
  it('with overwrite, writes every file into place (folders made, old files replaced) and leaves no temporaries', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'old.csv'), 'old')
    const files = await staged(async (staging) => {
      const big = await staging.open(join(dir, 'old.csv'))
      for (let i = 0; i < 50_000; i++) await big.write(`line ${i}\n`)
      await staging.write(join(dir, 'deep', 'er', 'small.bin'), Uint8Array.from([1, 2, 3]))
    }, true)
    expect(files).toEqual([join(dir, 'old.csv'), join(dir, 'deep', 'er', 'small.bin')])
    const text = readFileSync(join(dir, 'old.csv'), 'utf8')
    expect(text.split('\n')).toHaveLength(50_001)
    expect(text.endsWith('line 49999\n')).toBe(true)
    expect([...readFileSync(join(dir, 'deep', 'er', 'small.bin'))]).toEqual([1, 2, 3])
    expect(readdirSync(dir).sort()).toEqual(['deep', 'old.csv'])
  })

  it('with overwrite, on a failure keeps the earlier file whole and removes every temporary', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'codes.csv'), 'earlier export')
    const failing = staged(async (staging) => {
      const file = await staging.open(join(dir, 'codes.csv'))
      for (let i = 0; i < 200_000; i++) await file.write(`row ${i}\n`)
      await staging.write(join(dir, 'new.txt'), 'never kept')
      throw new Error('disk trouble')
    }, true)
    await expect(failing).rejects.toThrow('disk trouble')
    expect(readFileSync(join(dir, 'codes.csv'), 'utf8')).toBe('earlier export')
    expect(readdirSync(dir)).toEqual(['codes.csv'])
  })

  it('says so when a file is in the way of a folder', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'taken'), '')
    const attempt = staged((staging) => staging.write(join(dir, 'taken', 'a.txt'), 'x'))
    await expect(attempt).rejects.toBeInstanceOf(StudioError)
    await expect(attempt).rejects.toMatchObject({ code: 'bad-params' })
    await expect(attempt).rejects.toThrow(/Cannot write .*taken/)
    expect(existsSync(join(dir, 'taken', 'a.txt'))).toBe(false)
  })
})

describe('float32Bytes', () => {
  it('gives little-endian float32 bytes of exactly the values viewed, not the whole buffer', () => {
    const all = Float32Array.from([9, 1.5, -2, 9])
    const bytes = float32Bytes(all.subarray(1, 3))
    expect(bytes.length).toBe(8)
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    expect([view.getFloat32(0, true), view.getFloat32(4, true)]).toEqual([1.5, -2])
  })
})
