// The latent-space scatter: a framework-free class fed typed arrays (setProps / render / destroy).
// All points are one THREE.Points, one draw call. Attributes are updated in place when only their
// values change (point-buffers.ts); colours, hiding, highlight and epoch-to-epoch motion are
// uniforms and small textures read by the shader (scatter-materials.ts). It draws on demand: one
// animation frame after a change, more only while the view glides (damping) or a transition plays.
import { Color, Points, Scene, Vector3, WebGLRenderer } from 'three'
import { boundsOf, CameraRig, type Bounds, type ViewMode } from './camera-rig'
import { categoricalPalette } from './color-maps'
import { IdBuffer } from './id-buffer'
import { arrayKeys, PointBuffers } from './point-buffers'
import { ScatterMaterials } from './scatter-materials'
import { PointGrid } from './point-grid'
import { pointsInPolygon } from './select-polygon'

export type { ViewMode } from './camera-rig'
export type ColorBy = 'category' | 'value' | 'none'

export interface ScatterProps {
  /** n*3 coordinates (for 2D data, z = 0) */
  positions?: Float32Array
  /** n*3 coordinates of the previous epoch; setTransition(t) moves from these (0) to positions (1) */
  previous?: Float32Array | null
  /** per point category, coloured from `palette` and hidden with `hiddenCategories` */
  categories?: Uint16Array | null
  /** CSS colours, cycled when there are more categories (Tableau 20 by default) */
  palette?: readonly string[]
  /** per point value, coloured with viridis over `valueRange` */
  values?: Float32Array | null
  /** the values at the ends of the colour map; by default the values' min and max */
  valueRange?: [number, number] | null
  /** what colours points; by default values when given, else categories */
  colorBy?: ColorBy | null
  /** per point size factor (1 = pointSize), e.g. from a value, for size-by-value */
  sizes?: Float32Array | null
  /** categories neither drawn, picked nor selected (pass a new Set to change it) */
  hiddenCategories?: ReadonlySet<number>
  /** 1 = highlighted; when set, all other points fade and shrink; null = no highlight */
  highlight?: Uint8Array | null
  /** diameter in CSS pixels (4) */
  pointSize?: number
  mode?: ViewMode
  /** the clear colour (and the colour faded points move towards); null = transparent */
  background?: string | null
  /** new positions of the same points are framed afresh unless the user moved the view */
  keepFitted?: boolean
}

/** Where the points show on the canvas (CSS pixels): their box and how many lie outside it. */
export interface ScreenExtent {
  width: number
  height: number
  /** points projected (finite, in front of the camera) */
  count: number
  outside: number
  minX: number
  maxX: number
  minY: number
  maxY: number
}

/** how far from the cursor, in CSS pixels, picking still finds a point */
const pickRadius = 5

export class ScatterScene {
  private readonly renderer: WebGLRenderer
  private readonly scene = new Scene()
  private readonly rig: CameraRig
  private readonly materials = new ScatterMaterials()
  private readonly points: Points
  private readonly buffers: PointBuffers
  private readonly ids: IdBuffer
  private palette: readonly string[] = categoricalPalette
  private hidden: ReadonlySet<number> = new Set()
  private valueRange: [number, number] | null = null
  private colorBy: ColorBy | null = null
  private pointSize = 4
  private width = 1
  private height = 1
  private dpr = 1
  private bounds: Bounds | null = null
  private keepFitted = false
  /** the views framed since the data came; the other is framed when first shown */
  private readonly framed = new Set<ViewMode>()
  private frame = 0
  /** once something has been picked, ids are drawn with the last frame of each change */
  private picking = false
  /** the hover-pick index of the current positions, built on the first pick after they change */
  private grid: PointGrid | null = null
  private animation: { start: number; duration: number } | null = null
  private destroyed = false

  constructor(readonly canvas: HTMLCanvasElement) {
    this.renderer = new WebGLRenderer({ canvas, antialias: false, alpha: true })
    this.renderer.setClearColor(0x000000, 0)
    this.rig = new CameraRig(canvas, () => this.changed())
    this.ids = new IdBuffer(this.renderer)
    this.buffers = new PointBuffers((geometry) => (this.points.geometry = geometry))
    this.points = new Points(this.buffers.geometry, this.materials.visible)
    // the shader moves and hides points, so three's bounding sphere would be wrong anyway
    this.points.frustumCulled = false
    this.scene.add(this.points)
    this.materials.setCategories(this.palette, this.hidden)
  }

  private get uniforms() {
    return this.materials.uniforms
  }

  /** Changes some inputs; what is not given stays as it was. Arrays are kept, not copied. */
  setProps(props: ScatterProps): void {
    if (props.positions !== undefined) this.grid = null // even the same array, refilled
    const countBefore = this.buffers.count
    const arrays = Object.fromEntries(arrayKeys.map((key) => [key, props[key]]))
    this.buffers.set(arrays)
    if (props.positions) this.bounds = null
    if (props.palette !== undefined)
      this.palette = props.palette.length ? props.palette : categoricalPalette
    if (props.hiddenCategories !== undefined) this.hidden = props.hiddenCategories
    if (props.palette !== undefined || props.hiddenCategories !== undefined)
      this.materials.setCategories(this.palette, this.hidden)
    if (props.valueRange !== undefined) this.valueRange = props.valueRange
    if (props.colorBy !== undefined) this.colorBy = props.colorBy
    if (props.pointSize !== undefined) this.pointSize = props.pointSize
    if (props.background !== undefined) this.setBackground(props.background)
    if (props.keepFitted !== undefined) this.keepFitted = props.keepFitted
    if (props.values !== undefined || props.valueRange !== undefined)
      this.uniforms.uValueRange.value = this.getValueRange() ?? [0, 1]
    if (props.previous === null) this.uniforms.uTransition.value = 1
    this.uniforms.uHighlightActive.value = this.buffers.get('highlight') ? 1 : 0
    this.uniforms.uPointSize.value = this.pointSize * this.dpr
    this.updateDefines()
    // new data (not a new epoch of the same points) is framed afresh in both views
    if (this.buffers.count !== countBefore) this.framed.clear()
    if (props.mode !== undefined && props.mode !== this.rig.mode) this.rig.setMode(props.mode)
    const refit = props.positions && this.keepFitted && !this.rig.wasMoved()
    if (this.buffers.count && (refit || !this.framed.has(this.rig.mode))) this.resetView()
    this.changed()
  }

  private updateDefines(): void {
    const has = (key: (typeof arrayKeys)[number]) => Boolean(this.buffers.get(key))
    const colorBy =
      this.colorBy ?? (has('values') ? 'value' : has('categories') ? 'category' : 'none')
    const defines: [string, boolean][] = [
      ['HAS_PREVIOUS', has('previous')],
      ['HAS_CATEGORY', has('categories')],
      ['HAS_VALUE', has('values')],
      ['HAS_SCALE', has('sizes')],
      ['HAS_HIGHLIGHT', this.buffers.hasBuffer('highlight')],
      ['COLOR_BY_CATEGORY', colorBy === 'category' && has('categories')],
      ['COLOR_BY_VALUE', colorBy === 'value' && has('values')],
    ]
    this.materials.setDefines(defines.filter(([, on]) => on).map(([name]) => name))
  }

  private setBackground(background: string | null): void {
    if (background) this.renderer.setClearColor(new Color(background), 1)
    else this.renderer.setClearColor(0x000000, 0)
    this.materials.setDimColor(background ?? '#9aa0a6')
  }

  /** The range the colour map spans: the given one, else the values' min and max (NaN left out). */
  getValueRange(): [number, number] | null {
    if (this.valueRange) return this.valueRange
    const values = this.buffers.get('values')
    if (!values) return null
    let lo = Infinity
    let hi = -Infinity
    for (let i = 0; i < values.length; i++) {
      const v = values[i]
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    return lo <= hi ? [lo, hi] : [0, 1]
  }

  /** Where the transition from previous (0) to positions (1) stands. */
  setTransition(t: number): void {
    this.animation = null
    this.uniforms.uTransition.value = Math.min(1, Math.max(0, t))
    this.changed()
  }

  /** Moves from previous to positions over `duration` ms: one uniform per frame, no CPU work. */
  playTransition(duration = 600): void {
    this.uniforms.uTransition.value = 0
    this.animation = { start: performance.now(), duration }
    this.changed()
  }

  /** The canvas's CSS size and the device pixel ratio. */
  resize(width: number, height: number, dpr = window.devicePixelRatio || 1): void {
    this.width = Math.max(1, Math.round(width))
    this.height = Math.max(1, Math.round(height))
    this.dpr = dpr
    this.renderer.setPixelRatio(dpr)
    this.renderer.setSize(this.width, this.height, false)
    this.rig.setSize(this.width, this.height)
    this.uniforms.uPointSize.value = this.pointSize * dpr
    // a view the user has not moved is framed for its new size: a narrower pane cut points off
    const other: ViewMode = this.rig.mode === '3d' ? '2d' : '3d'
    if (!this.rig.wasMoved(other)) this.framed.delete(other)
    if (this.framed.has(this.rig.mode) && !this.rig.wasMoved()) this.resetView()
    this.changed()
  }

  /** Frames all points in the current mode's default view. */
  resetView(): void {
    const positions = this.buffers.get('positions')
    this.bounds ??= boundsOf(positions)
    this.rig.fit(this.bounds, this.rig.mode, positions)
    this.framed.add(this.rig.mode)
    this.changed()
  }

  /** Orbits the 3D view by these angles in radians (keyboard, scripted tours). */
  rotate(azimuth: number, polar = 0): void {
    this.rig.rotate(azimuth, polar)
  }

  /** Off while a box or lasso is drawn, so the drag does not also move the view. */
  setInteractive(interactive: boolean): void {
    this.rig.setInteractive(interactive)
  }

  /** True while a frame is due: the view is moving (damping, a transition) or just changed. */
  get moving(): boolean {
    return this.frame !== 0
  }

  get mode(): ViewMode {
    return this.rig.mode
  }

  /** Something changed: the id buffer is stale, and one frame is due. */
  private changed(): void {
    this.ids.invalidate()
    if (this.frame || this.destroyed) return
    this.frame = requestAnimationFrame(this.onFrame)
  }

  private readonly onFrame = (now: number): void => {
    this.frame = 0
    let moving = this.rig.update()
    if (this.animation) {
      const t = Math.min(1, (now - this.animation.start) / this.animation.duration)
      this.uniforms.uTransition.value = t
      if (t >= 1) this.animation = null
      moving = true
    }
    this.render()
    if (moving) this.changed()
    // queued behind this frame, the GPU draws the ids while the pointer is still on its way
    else if (this.picking) this.drawIds()
  }

  /** Draws now (otherwise the scene draws on the next animation frame after a change). */
  render(): void {
    if (this.destroyed) return
    this.renderer.render(this.scene, this.rig.camera)
  }

  /** Draws the ids if stale and starts copying them to the CPU for the picks that follow. */
  private drawIds(): void {
    this.ids.draw(this.scene, this.rig.camera, this.points, this.materials.ids)
    this.ids.prefetch()
  }

  /**
   * The point under (x, y), CSS pixels relative to the canvas, or -1: the nearest point within a
   * few pixels, by a walk along the pointer's ray through a 3D grid of the points (point-grid.ts);
   * while a transition moves them, from the id buffer, drawn again only after a change.
   */
  pick(x: number, y: number): number {
    if (!this.buffers.count || this.destroyed) return -1
    const positions = this.buffers.get('positions')
    const moving = this.buffers.get('previous') && this.uniforms.uTransition.value < 1
    if (positions && !moving) {
      // the grid walk needs no GPU round trip, so it answers at once after a camera move
      if (this.grid?.positions !== positions) this.grid = new PointGrid(positions)
      const camera = this.rig.camera
      camera.updateMatrixWorld()
      const viewProjection = camera.projectionMatrix.clone().multiply(camera.matrixWorldInverse)
      const categories = this.buffers.get('categories')
      const hidden = this.hidden
      return this.grid.pick(
        x,
        y,
        pickRadius,
        {
          viewProjection: viewProjection.elements,
          inverse: viewProjection.clone().invert().elements,
          width: this.width,
          height: this.height,
        },
        hidden.size && categories ? (i) => !hidden.has(categories[i]) : undefined,
      )
    }
    this.picking = true
    this.drawIds()
    return this.ids.read(x * this.dpr, y * this.dpr, Math.ceil(pickRadius * this.dpr))
  }

  /**
   * Indices of the visible points inside a polygon (CSS pixels relative to the canvas),
   * ascending: one pass over all points in JS, for a box or lasso on mouse-up.
   */
  selectPolygon(polygon: readonly (readonly [number, number])[]): Uint32Array {
    const positions = this.buffers.get('positions')
    if (!positions || !this.buffers.count) return new Uint32Array(0)
    const camera = this.rig.camera
    camera.updateMatrixWorld()
    const viewProjection = camera.projectionMatrix.clone().multiply(camera.matrixWorldInverse)
    return pointsInPolygon({
      positions,
      previous: this.buffers.get('previous'),
      transition: this.uniforms.uTransition.value,
      viewProjection: viewProjection.elements,
      width: this.width,
      height: this.height,
      polygon,
      categories: this.buffers.get('categories'),
      categoryVisible: this.hidden.size ? (c) => !this.hidden.has(c) : undefined,
    })
  }

  /** Where a point in data space shows on the canvas (CSS pixels), or null if behind the camera. */
  projectToScreen(x: number, y: number, z: number): [number, number] | null {
    const camera = this.rig.camera
    camera.updateMatrixWorld()
    const v = new Vector3(x, y, z).applyMatrix4(camera.matrixWorldInverse)
    if (this.rig.mode === '3d' && v.z >= 0) return null
    v.applyMatrix4(camera.projectionMatrix)
    return [((v.x + 1) / 2) * this.width, ((1 - v.y) / 2) * this.height]
  }

  /** Where the points (at their current positions) show on the canvas: for tests and checks. */
  screenExtent(): ScreenExtent {
    const p = this.buffers.get('positions') ?? new Float32Array(0)
    const extent = { width: this.width, height: this.height, count: 0, outside: 0 }
    const box = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity }
    for (let i = 0; i < p.length; i += 3) {
      const at = this.projectToScreen(p[i], p[i + 1], p[i + 2])
      if (!at || !Number.isFinite(at[0] + at[1])) continue
      const [x, y] = at
      extent.count++
      if (x < 0 || y < 0 || x > this.width || y > this.height) extent.outside++
      box.minX = Math.min(box.minX, x)
      box.maxX = Math.max(box.maxX, x)
      box.minY = Math.min(box.minY, y)
      box.maxY = Math.max(box.maxY, y)
    }
    return { ...extent, ...box }
  }

  /** The current view as a PNG of the canvas's pixel size. */
  toPNG(): Promise<Blob> {
    // draw and read in one task: the drawing buffer is not kept past compositing
    this.render()
    return new Promise((resolve, reject) =>
      this.canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))),
        'image/png',
      ),
    )
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    cancelAnimationFrame(this.frame)
    this.rig.dispose()
    this.buffers.dispose()
    this.materials.dispose()
    this.ids.dispose()
    this.renderer.dispose()
    this.renderer.forceContextLoss()
  }
}
