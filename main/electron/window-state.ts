// The window's size and place, kept across launches in the app's user-data folder. A place that
// no display shows any more (a monitor unplugged since) is dropped, keeping the size.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Bounds {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  width: number
  height: number
  /** absent: let the system place the window */
  x?: number
  y?: number
  maximized: boolean
}

export const defaultWindowState: WindowState = { width: 1280, height: 820, maximized: false }
const minimum = { width: 800, height: 560 }

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/** True when at least a 100 × 50 corner of `window` (its title bar, say) lies on a display. */
function visible(window: Bounds, displays: Bounds[]): boolean {
  return displays.some(
    (d) =>
      window.x + 100 <= d.x + d.width &&
      window.x + window.width - 100 >= d.x &&
      window.y >= d.y &&
      window.y + 50 <= d.y + d.height,
  )
}

/** The saved state, checked and fitted to the displays there are now; the default otherwise. */
export function readWindowState(file: string, displays: Bounds[]): WindowState {
  let saved: Partial<WindowState>
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>
  } catch {
    return { ...defaultWindowState } // none yet, or unreadable: start afresh
  }
  const width = isNumber(saved.width) ? Math.max(minimum.width, saved.width) : 1280
  const height = isNumber(saved.height) ? Math.max(minimum.height, saved.height) : 820
  const state: WindowState = { width, height, maximized: saved.maximized === true }
  if (
    isNumber(saved.x) &&
    isNumber(saved.y) &&
    visible({ x: saved.x, y: saved.y, width, height }, displays)
  ) {
    state.x = saved.x
    state.y = saved.y
  }
  return state
}

/** Writes the state beside the workspace's settings, whole or not at all. */
export function writeWindowState(file: string, state: WindowState): void {
  const temp = `${file}.tmp`
  writeFileSync(temp, JSON.stringify(state))
  renameSync(temp, file)
}

/** The window's state as it should be saved: its normal bounds even when maximised. */
export function stateOf(window: {
  getNormalBounds(): Bounds
  isMaximized(): boolean
}): WindowState {
  const { x, y, width, height } = window.getNormalBounds()
  return { x, y, width, height, maximized: window.isMaximized() }
}

export function windowStateFile(userData: string): string {
  return join(userData, 'window-state.json')
}
