// The scatter's two views and their controls: a perspective camera that orbits (3D) and an
// orthographic top view that only pans and zooms (2D). Each keeps its own pose, so switching back
// and forth returns to where the user left it.
import { MOUSE, OrthographicCamera, PerspectiveCamera, TOUCH, Vector3, type Camera } from 'three'
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js'

export type ViewMode = '2d' | '3d'

/** The data's extent: the centre, the radius of a sphere around it, half the x and y spans. */
export interface Bounds {
  center: Vector3
  radius: number
  halfX: number
  halfY: number
}

/** The extent of n*3 positions (non-finite ones left out): box centre, farthest point from it. */
export function boundsOf(positions: Float32Array | null | undefined): Bounds {
  const min = [Infinity, Infinity, Infinity]
  const max = [-Infinity, -Infinity, -Infinity]
  const p = positions ?? new Float32Array(0)
  for (let i = 0; i < p.length; i += 3)
    for (let k = 0; k < 3; k++) {
      const v = p[i + k]
      if (v < min[k]) min[k] = v
      if (v > max[k]) max[k] = v
    }
  if (!(min[0] <= max[0] && min[1] <= max[1] && min[2] <= max[2]))
    return { center: new Vector3(), radius: 1, halfX: 1, halfY: 1 }
  const [cx, cy, cz] = [0, 1, 2].map((k) => (min[k] + max[k]) / 2)
  // the sphere that holds the points, not the box's corners: blobs fill the view
  let r2 = 0
  for (let i = 0; i < p.length; i += 3) {
    const d = (p[i] - cx) ** 2 + (p[i + 1] - cy) ** 2 + (p[i + 2] - cz) ** 2
    if (d > r2) r2 = d
  }
  return {
    center: new Vector3(cx, cy, cz),
    radius: Math.sqrt(r2),
    halfX: (max[0] - min[0]) / 2,
    halfY: (max[1] - min[1]) / 2,
  }
}

const fov = 45
/** the 3D view's starting direction from the centre: a little from the right and above */
const viewDirection = new Vector3(0.55, 0.42, 1).normalize()

export class CameraRig {
  mode: ViewMode = '3d'
  readonly perspective = new PerspectiveCamera(fov, 1, 0.01, 1000)
  readonly orthographic = new OrthographicCamera(-1, 1, 1, -1, 0, 1000)
  private readonly orbit: OrbitControls
  private readonly flat: OrbitControls
  private aspect = 1
  /** half the height the orthographic view shows at zoom 1 */
  private halfHeight = 1
  /** each view the user moved since it was last fitted: those keep their pose on a resize */
  private readonly moved = new Set<ViewMode>()

  constructor(element: HTMLElement, onChange: () => void) {
    this.orbit = new OrbitControls(this.perspective, element)
    this.orbit.enableDamping = true
    this.orbit.dampingFactor = 0.12
    this.orbit.zoomToCursor = true
    this.flat = new OrbitControls(this.orthographic, element)
    this.flat.enableRotate = false
    this.flat.zoomToCursor = true
    this.flat.enableDamping = true
    this.flat.dampingFactor = 0.12
    this.flat.mouseButtons = { LEFT: MOUSE.PAN, MIDDLE: MOUSE.DOLLY, RIGHT: MOUSE.PAN }
    this.flat.touches = { ONE: TOUCH.PAN, TWO: TOUCH.DOLLY_PAN }
    this.flat.enabled = false
    this.orbit.addEventListener('change', onChange)
    this.flat.addEventListener('change', onChange)
    this.orbit.addEventListener('start', () => this.moved.add('3d'))
    this.flat.addEventListener('start', () => this.moved.add('2d'))
  }

  /** Whether the user moved this view (drag, zoom, keys) since it was last fitted. */
  wasMoved(mode: ViewMode = this.mode): boolean {
    return this.moved.has(mode)
  }

  get camera(): Camera {
    return this.mode === '3d' ? this.perspective : this.orthographic
  }

  private get controls(): OrbitControls {
    return this.mode === '3d' ? this.orbit : this.flat
  }

  setMode(mode: ViewMode): void {
    this.mode = mode
    this.orbit.enabled = mode === '3d' && this.interactive
    this.flat.enabled = mode === '2d' && this.interactive
  }

  private interactive = true
  /** Off while the user draws a box or lasso, so the same drag does not also move the view. */
  setInteractive(interactive: boolean): void {
    this.interactive = interactive
    this.setMode(this.mode)
  }

  setSize(width: number, height: number): void {
    this.aspect = width / Math.max(1, height)
    this.perspective.aspect = this.aspect
    this.perspective.updateProjectionMatrix()
    this.updateOrthographic()
  }

  private updateOrthographic(): void {
    const cam = this.orthographic
    cam.top = this.halfHeight
    cam.bottom = -this.halfHeight
    cam.left = -this.halfHeight * this.aspect
    cam.right = this.halfHeight * this.aspect
    cam.updateProjectionMatrix()
  }

  /**
   * Frames the data in the current view: all of it visible, centred, default orientation. Given
   * the points, the 3D view comes as close as they allow from its direction (docs/analysis.md);
   * without them, it fits the sphere around them, which leaves a cloud small.
   */
  fit(bounds: Bounds, mode: ViewMode = this.mode, positions?: Float32Array | null): void {
    const r = Math.max(bounds.radius, 1e-6)
    this.moved.delete(mode)
    if (mode === '3d') {
      const halfFov = (fov * Math.PI) / 360
      const fitHeight = r / Math.sin(halfFov)
      const fitWidth = r / Math.sin(Math.atan(Math.tan(halfFov) * this.aspect))
      const sphere = Math.max(fitHeight, fitWidth) * 1.02
      const distance = positions?.length
        ? Math.min(sphere, pointsDistance(positions, bounds.center, halfFov, this.aspect, r))
        : sphere
      const cam = this.perspective
      cam.near = r * 1e-3
      cam.far = distance + r * 40
      cam.position.copy(bounds.center).addScaledVector(viewDirection, distance)
      cam.up.set(0, 1, 0)
      cam.updateProjectionMatrix()
      this.orbit.target.copy(bounds.center)
      this.orbit.minDistance = r * 0.01
      this.orbit.maxDistance = r * 20
      this.orbit.update()
      this.orbit.saveState()
    } else {
      this.halfHeight = Math.max(bounds.halfY, bounds.halfX / this.aspect, 1e-6) * 1.08
      const cam = this.orthographic
      cam.position.set(bounds.center.x, bounds.center.y, bounds.center.z + r * 4)
      cam.up.set(0, 1, 0)
      cam.near = 0
      cam.far = r * 8
      cam.zoom = 1
      this.updateOrthographic()
      this.flat.target.copy(bounds.center)
      this.flat.update()
      this.flat.saveState()
    }
  }

  /** Orbits the 3D view by these angles (radians); the 2D view does not rotate. */
  rotate(azimuth: number, polar: number): void {
    if (this.mode !== '3d') return
    this.moved.add('3d')
    // at once, not gliding: damping would spread one step over dozens of frames
    this.orbit.enableDamping = false
    this.orbit.rotateLeft(azimuth)
    this.orbit.rotateUp(polar)
    this.orbit.enableDamping = true
  }

  /** Advances damping; true while the view is still moving. */
  update(): boolean {
    return this.controls.update()
  }

  dispose(): void {
    this.orbit.dispose()
    this.flat.dispose()
  }
}

/**
 * The least distance along the starting direction at which every point shows inside the
 * perspective view, with a small margin: for a point at depth z towards the camera and offsets
 * x, y across the view, distance ≥ z + |x| / tan(half the horizontal field), and so for y.
 */
function pointsDistance(
  p: Float32Array,
  center: Vector3,
  halfFov: number,
  aspect: number,
  radius: number,
): number {
  const forward = viewDirection
  const right = new Vector3(0, 1, 0).cross(forward).normalize()
  const up = forward.clone().cross(right)
  const tanY = Math.tan(halfFov)
  const tanX = tanY * aspect
  const margin = 1.06
  let distance = 0
  for (let i = 0; i < p.length; i += 3) {
    const dx = p[i] - center.x
    const dy = p[i + 1] - center.y
    const dz = p[i + 2] - center.z
    if (!Number.isFinite(dx + dy + dz)) continue
    const x = dx * right.x + dy * right.y + dz * right.z
    const y = dx * up.x + dy * up.y + dz * up.z
    const z = dx * forward.x + dy * forward.y + dz * forward.z
    const need = z + margin * Math.max(Math.abs(x) / tanX, Math.abs(y) / tanY)
    if (need > distance) distance = need
  }
  // never inside the cloud: the near plane and the orbit need room
  return Math.max(distance, radius * 1.05)
}
