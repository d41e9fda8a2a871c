// GPU picking: every point drawn with its index + 1 as its colour (24 bits, so up to 16.7 million
// points) into an offscreen target the size of the canvas. The target is drawn again only after
// something changed. A pick looks at the few pixels around the cursor, never loops over points:
// in a CPU copy of the target once an asynchronous read-back (no stall) has brought one, else
// read back from the GPU there and then.
import {
  Color,
  NearestFilter,
  Vector2,
  WebGLRenderTarget,
  type Camera,
  type Material,
  type Points,
  type Scene,
  type WebGLRenderer,
} from 'three'

export class IdBuffer {
  private target: WebGLRenderTarget | null = null
  /** false once the view or the data changed since the last draw */
  private current = false
  /** counts invalidations, so a read-back that finishes after one is dropped */
  private generation = 0
  private copy: Uint8Array | null = null
  private fetching = false

  constructor(private readonly renderer: WebGLRenderer) {}

  /** The view or the data changed: the ids must be drawn again before the next pick. */
  invalidate(): void {
    this.current = false
    this.copy = null
    this.generation++
  }

  /** Draws the ids if they are stale; `material` is the points' id-drawing material. */
  draw(scene: Scene, camera: Camera, points: Points, material: Material): void {
    const renderer = this.renderer
    const size = renderer.getDrawingBufferSize(new Vector2())
    if (!this.target || this.target.width !== size.x || this.target.height !== size.y) {
      this.target?.dispose()
      this.target = new WebGLRenderTarget(size.x, size.y, {
        minFilter: NearestFilter,
        magFilter: NearestFilter,
        generateMipmaps: false,
        depthBuffer: true,
      })
      this.invalidate()
    }
    if (this.current) return
    const clearColor = renderer.getClearColor(new Color())
    const clearAlpha = renderer.getClearAlpha()
    const shown = points.material
    renderer.setClearColor(0x000000, 0)
    renderer.setRenderTarget(this.target)
    points.material = material
    renderer.render(scene, camera)
    points.material = shown
    renderer.setRenderTarget(null)
    renderer.setClearColor(clearColor, clearAlpha)
    this.current = true
  }

  /** Starts copying the drawn ids to the CPU without waiting; later picks read the copy. */
  prefetch(): void {
    const target = this.target
    if (!target || !this.current || this.copy || this.fetching) return
    const generation = this.generation
    const pixels = new Uint8Array(target.width * target.height * 4)
    this.fetching = true
    this.renderer
      .readRenderTargetPixelsAsync(target, 0, 0, target.width, target.height, pixels)
      .then(() => {
        if (generation === this.generation) this.copy = pixels
      })
      .catch(() => {}) // a lost context or a resized target: picks read from the GPU instead
      .finally(() => (this.fetching = false))
  }

  /**
   * The index nearest to (x, y) within `radius` (device pixels, origin top left), or -1. Without
   * a CPU copy, reading waits for the GPU to finish the id draw, so draw well before if you can.
   */
  read(x: number, y: number, radius: number): number {
    const target = this.target
    if (!target) return -1
    const cx = Math.round(x)
    const cy = target.height - 1 - Math.round(y)
    const x0 = Math.max(0, cx - radius)
    const y0 = Math.max(0, cy - radius)
    const x1 = Math.min(target.width - 1, cx + radius)
    const y1 = Math.min(target.height - 1, cy + radius)
    if (x1 < x0 || y1 < y0) return -1
    const w = x1 - x0 + 1
    const h = y1 - y0 + 1
    let pixels = this.copy
    let stride = target.width
    let origin = y0 * stride + x0
    if (!pixels) {
      pixels = new Uint8Array(w * h * 4)
      this.renderer.readRenderTargetPixels(target, x0, y0, w, h, pixels)
      stride = w
      origin = 0
    }
    let best = -1
    let bestDistance = Infinity
    for (let j = 0; j < h; j++)
      for (let i = 0; i < w; i++) {
        const o = (origin + j * stride + i) * 4
        const id = pixels[o] | (pixels[o + 1] << 8) | (pixels[o + 2] << 16)
        const d = (x0 + i - cx) ** 2 + (y0 + j - cy) ** 2
        if (id && d < bestDistance) {
          bestDistance = d
          best = id - 1
        }
      }
    return best
  }

  dispose(): void {
    this.target?.dispose()
  }
}
