import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  defaultWindowState,
  readWindowState,
  stateOf,
  writeWindowState,
} from '../../../main/electron/window-state'
import { tempDir } from '../../helpers/temp'

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }]

describe('the window state kept across launches', () => {
  it('starts from the default when none was saved, or the file is damaged', () => {
    const dir = tempDir()
    expect(readWindowState(join(dir, 'none.json'), screen)).toEqual(defaultWindowState)
    writeFileSync(join(dir, 'bad.json'), '{"width": 9')
    expect(readWindowState(join(dir, 'bad.json'), screen)).toEqual(defaultWindowState)
  })

  it('gives back the size, place and maximised flag it saved', () => {
    const file = join(tempDir(), 'window-state.json')
    const window = {
      getNormalBounds: () => ({ x: 200, y: 100, width: 1000, height: 700 }),
      isMaximized: () => true,
    }
    writeWindowState(file, stateOf(window))
    expect(readWindowState(file, screen)).toEqual({
      x: 200,
      y: 100,
      width: 1000,
      height: 700,
      maximized: true,
    })
  })

  it('drops a place no display shows any more, and a size below the minimum', () => {
    const file = join(tempDir(), 'window-state.json')
    writeWindowState(file, { x: 2500, y: 300, width: 300, height: 200, maximized: false })
    expect(readWindowState(file, screen)).toEqual({ width: 800, height: 560, maximized: false })
    // the second monitor it was on is back
    const two = [...screen, { x: 1920, y: 0, width: 1920, height: 1080 }]
    expect(readWindowState(file, two)).toMatchObject({ x: 2500, y: 300 })
  })
})
