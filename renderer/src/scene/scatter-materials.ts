// How the points look: the visible and the id-drawing materials (one shader, two defines), their
// shared uniforms, and the two small textures the shader reads (category colours with
// visibility, the continuous colour map). Changing a colour or hiding a category rewrites a
// 256 KB texture, never a per-point buffer.
import {
  Color,
  DataTexture,
  LinearFilter,
  NearestFilter,
  RGBAFormat,
  ShaderMaterial,
  UnsignedByteType,
} from 'three'
import { categoricalPalette, colorBytes, viridisBytes } from './color-maps'
import { scatterFragmentShader, scatterVertexShader } from './scatter-shaders'

/** A CSS colour as the shader writes it out: sRGB values as they are (no colour management). */
function shaderColor(css: string): Color {
  const [r, g, b] = colorBytes(css)
  return new Color().setRGB(r / 255, g / 255, b / 255)
}

export class ScatterMaterials {
  /** texel c (x = c & 255, y = c >> 8): category c's colour, alpha 0 when it is hidden */
  private readonly categoryTexture = new DataTexture(new Uint8Array(256 * 256 * 4), 256, 256)
  private readonly colorMap = new DataTexture(viridisBytes(), 256, 1, RGBAFormat, UnsignedByteType)
  readonly uniforms = {
    uTransition: { value: 1 },
    /** diameter in device pixels */
    uPointSize: { value: 4 },
    uCategories: { value: this.categoryTexture },
    uColorMap: { value: this.colorMap },
    uValueRange: { value: [0, 1] as [number, number] },
    uBaseColor: { value: shaderColor(categoricalPalette[0]) },
    uDimColor: { value: shaderColor('#9aa0a6') },
    uHighlightActive: { value: 0 },
  }
  readonly visible: ShaderMaterial
  readonly ids: ShaderMaterial

  constructor() {
    this.categoryTexture.magFilter = this.categoryTexture.minFilter = NearestFilter
    this.colorMap.magFilter = this.colorMap.minFilter = LinearFilter
    this.colorMap.needsUpdate = true
    const common = {
      uniforms: this.uniforms,
      vertexShader: scatterVertexShader,
      fragmentShader: scatterFragmentShader,
      depthTest: true,
      depthWrite: true,
    }
    this.visible = new ShaderMaterial(common)
    this.ids = new ShaderMaterial({ ...common, defines: { PICK: '' } })
  }

  /** Which optional inputs the shader reads; recompiles only when the set changes. */
  setDefines(names: string[]): void {
    const defines = Object.fromEntries(names.map((name) => [name, '']))
    if (names.join() === Object.keys(this.visible.defines ?? {}).join()) return
    this.visible.defines = defines
    this.ids.defines = { ...defines, PICK: '' }
    this.visible.needsUpdate = this.ids.needsUpdate = true
  }

  /** Colours (cycled through `palette`) and visibility for all 65,536 possible categories. */
  setCategories(palette: readonly string[], hidden: ReadonlySet<number>): void {
    const data = this.categoryTexture.image.data as Uint8Array
    const colors = palette.map(colorBytes)
    for (let c = 0; c < 65536; c++) {
      const [r, g, b] = colors[c % colors.length]
      data[c * 4] = r
      data[c * 4 + 1] = g
      data[c * 4 + 2] = b
      data[c * 4 + 3] = hidden.has(c) ? 0 : 255
    }
    this.categoryTexture.needsUpdate = true
  }

  /** The colour faded (not highlighted) points move towards. */
  setDimColor(css: string): void {
    this.uniforms.uDimColor.value = shaderColor(css)
  }

  dispose(): void {
    this.visible.dispose()
    this.ids.dispose()
    this.categoryTexture.dispose()
    this.colorMap.dispose()
  }
}
