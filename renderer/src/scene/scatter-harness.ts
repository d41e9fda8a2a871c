// A bare page around ScatterScene for the benchmark and the end-to-end test (bundled with esbuild
// by test/bench/scatter.bench.ts); the app never imports it. Everything it returns is plain JSON.
// Its surface is mirrored by ScatterHarness in test/bench/scatter.bench.ts: change both.
import { gaussianBlobs } from './gaussian-blobs'
import { ScatterScene, type ViewMode } from './scatter-scene'

export interface HarnessLoad {
  count: number
  clusters?: number
  dims?: 2 | 3
  mode?: ViewMode
  pointSize?: number
  /** extra points after the blobs: [x, y, z, category] */
  extra?: [number, number, number, number][]
}

const canvas = document.createElement('canvas')
canvas.style.cssText = 'position:fixed;inset:0;width:100vw;height:100vh;display:block'
document.body.style.margin = '0'
document.body.append(canvas)
const scene = new ScatterScene(canvas)
const gl = canvas.getContext('webgl2') as WebGL2RenderingContext
const pixel = new Uint8Array(4)
let positions = new Float32Array(0)
let categories = new Uint16Array(0)

/** Waits until the GPU has finished: a one-pixel read stalls until the frame is done. */
function finish(): void {
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel)
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const harness = {
  load(options: HarnessLoad): { count: number } {
    const extra = options.extra ?? []
    const blobs = gaussianBlobs(options.count, options.clusters ?? 10, {
      dims: options.dims ?? 3,
      spread: 0.05,
    })
    const n = options.count + extra.length
    positions = new Float32Array(n * 3)
    positions.set(blobs.positions)
    categories = new Uint16Array(n)
    categories.set(blobs.categories)
    extra.forEach(([x, y, z, c], i) => {
      positions.set([x, y, z], (options.count + i) * 3)
      categories[options.count + i] = c
    })
    scene.resize(window.innerWidth, window.innerHeight, window.devicePixelRatio)
    scene.setProps({
      positions,
      previous: null,
      categories,
      hiddenCategories: new Set(),
      highlight: null,
      mode: options.mode ?? '3d',
      pointSize: options.pointSize ?? 3,
      background: '#ffffff',
    })
    scene.resetView()
    scene.render()
    finish()
    return { count: n }
  },

  /** Where a data point shows on the canvas, in CSS pixels. */
  screenOf(x: number, y: number, z: number): [number, number] | null {
    return scene.projectToScreen(x, y, z)
  },

  pick(x: number, y: number): number {
    return scene.pick(x, y)
  },

  select(polygon: [number, number][]): number[] {
    return Array.from(scene.selectPolygon(polygon))
  },

  hide(categories: number[]): void {
    scene.setProps({ hiddenCategories: new Set(categories) })
    scene.render()
  },

  /** Highlights one category's points (the rest fade); -1 clears the highlight. */
  highlight(category: number): void {
    const mask = new Uint8Array(categories.length)
    for (let i = 0; i < mask.length; i++) mask[i] = categories[i] === category ? 1 : 0
    scene.setProps({ highlight: category < 0 ? null : mask })
    scene.render()
  },

  /** Makes the shown positions the previous epoch, moves every point by (dx, dy), shows t. */
  moveAll(dx: number, dy: number, t: number): void {
    const next = positions.map((v, i) => v + (i % 3 === 0 ? dx : i % 3 === 1 ? dy : 0))
    scene.setProps({ positions: next, previous: positions })
    scene.setTransition(t)
    scene.render()
    positions = next
  },

  async png(): Promise<{ width: number; height: number; signature: boolean; bytes: number }> {
    const blob = await scene.toPNG()
    const head = new DataView(await blob.slice(0, 24).arrayBuffer())
    return {
      signature: head.getUint32(0) === 0x89504e47 && head.getUint32(4) === 0x0d0a1a0a,
      width: head.getUint32(16),
      height: head.getUint32(20),
      bytes: blob.size,
    }
  },

  /** ms per frame while orbiting, each frame finished on the GPU before the next. */
  frameTime(frames: number): number {
    scene.rotate(0.01)
    scene.render()
    finish()
    const start = performance.now()
    for (let i = 0; i < frames; i++) {
      scene.rotate(0.02, 0.004)
      scene.render()
      finish()
    }
    return (performance.now() - start) / frames
  },

  /**
   * Hover-pick latency, median ms. cold: the first pick right after a programmatic move, which
   * draws the ids and waits for them; settled: after the scene drew its own frames (ids queued
   * behind the last one, their copy to the CPU started), as when the pointer rests after an
   * orbit; warm: once that copy has arrived (a lookup in memory), `copied` ms after settling.
   */
  async pickLatency(
    picks: number,
  ): Promise<{ cold: number; settled: number; warm: number; copied: number }> {
    const cold: number[] = []
    const settled: number[] = []
    const warm: number[] = []
    const copied: number[] = []
    const w = window.innerWidth
    const h = window.innerHeight
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve))
    const timed = (x: number, y: number) => {
      const t = performance.now()
      scene.pick(x, y)
      return performance.now() - t
    }
    for (let k = 0; k < picks; k++) {
      scene.rotate(0.01)
      scene.render()
      finish()
      cold.push(timed(w / 2, h / 2))
      scene.rotate(0.01)
      while (scene.moving) await nextFrame()
      const rest = performance.now()
      settled.push(timed(w / 2, h / 2))
      // poll until a pick is a memory lookup (the copy is in), for at most 10 s
      for (let tries = 0; tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        const x = w * (0.2 + (0.6 * ((k * 37 + tries) % 100)) / 100)
        const ms = timed(x, h * (0.2 + (0.6 * ((k * 61) % 100)) / 100))
        if (ms < 1) {
          warm.push(ms)
          copied.push(performance.now() - rest)
          break
        }
      }
    }
    return {
      cold: median(cold),
      settled: median(settled),
      warm: warm.length ? median(warm) : NaN,
      copied: copied.length ? median(copied) : NaN,
    }
  },

  /** ms for a lasso (a 64-gon over the middle of the canvas) and how many points it took. */
  lasso(): { ms: number; selected: number } {
    const w = window.innerWidth
    const h = window.innerHeight
    const polygon: [number, number][] = []
    for (let k = 0; k < 64; k++) {
      const a = (2 * Math.PI * k) / 64
      polygon.push([w / 2 + Math.cos(a) * w * 0.3, h / 2 + Math.sin(a) * h * 0.3])
    }
    const start = performance.now()
    const selected = scene.selectPolygon(polygon).length
    return { ms: performance.now() - start, selected }
  },

  /** ms to show a new epoch: positions of the same size updated in place, one frame drawn. */
  newEpoch(): number {
    const next = positions.map((v) => v * 1.01)
    const start = performance.now()
    scene.setProps({ positions: next, previous: positions })
    scene.setTransition(0.5)
    scene.render()
    finish()
    const ms = performance.now() - start
    positions = next
    return ms
  },
}

declare global {
  interface Window {
    harness: typeof harness
    scene: ScatterScene
  }
}
window.harness = harness
window.scene = scene
