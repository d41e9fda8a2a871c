// Squared distances from one row to a run of centroids, for kmeans-run.ts: four dimensions at a
// time in WebAssembly SIMD (f32x4), or plain JavaScript where that is missing. Plain JavaScript
// stops near 0.7 ns a term (15–22 ms for the 22M terms of one full 70,000 × 32 × 10 pass, with four
// running sums or one); the SIMD loop does that pass in 6 ms, with the calls from JavaScript. The
// module is one small function, assembled below from its text so that it needs no toolchain.
// Rows and centroids are f32, zero-padded to a multiple of 8 dimensions (as sklearn computes
// float32 data); each sum's four lanes are added in f64.

// distances(row, centres, count, width, out): for j < count, with 16-byte blocks b < width (even),
//   out[j] (f64) = Σ_b (row[b] − centres[j·width + b])²        (addresses in bytes)
// Two running sums, even and odd blocks, so that the additions do not wait on each other.
const params = ['row', 'centres', 'count', 'width', 'out']
const locals = { i32: ['outEnd', 'rowEnd'], v128: ['even', 'odd', 'diff'] }
const text = `
  local.get out  local.get count  i32.const 8  i32.mul  i32.add  local.set outEnd
  local.get row  local.get width  i32.const 16  i32.mul  i32.add  local.set rowEnd
  block  loop
    local.get out  local.get outEnd  i32.lt_u  i32.eqz  br_if 1
    f32.const0  f32x4.splat  local.tee even  local.set odd
    block  loop
      local.get row  local.get rowEnd  i32.lt_u  i32.eqz  br_if 1
      local.get row  v128.load  local.get centres  v128.load  f32x4.sub  local.set diff
      local.get even  local.get diff  local.get diff  f32x4.mul  f32x4.add  local.set even
      local.get row  v128.load16  local.get centres  v128.load16  f32x4.sub  local.set diff
      local.get odd  local.get diff  local.get diff  f32x4.mul  f32x4.add  local.set odd
      local.get row  i32.const 32  i32.add  local.set row
      local.get centres  i32.const 32  i32.add  local.set centres
      br 0
    end  end
    local.get row  local.get width  i32.const 16  i32.mul  i32.sub  local.set row
    local.get even  local.get odd  f32x4.add  local.set even
    local.get out
    local.get even  f32x4.extract_lane 0  f64.promote_f32
    local.get even  f32x4.extract_lane 1  f64.promote_f32  f64.add
    local.get even  f32x4.extract_lane 2  f64.promote_f32  f64.add
    local.get even  f32x4.extract_lane 3  f64.promote_f32  f64.add
    f64.store
    local.get out  i32.const 8  i32.add  local.set out
    br 0
  end  end
`

/** Opcode bytes of each instruction used above; immediates follow in the text. */
const opcodes: Record<string, number[]> = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: [0x0c],
  br_if: [0x0d],
  'local.get': [0x20],
  'local.set': [0x21],
  'local.tee': [0x22],
  'f64.store': [0x39, 3, 0], // align 8, offset 0
  'i32.const': [0x41],
  'f32.const0': [0x43, 0, 0, 0, 0],
  'i32.eqz': [0x45],
  'i32.lt_u': [0x49],
  'i32.add': [0x6a],
  'i32.sub': [0x6b],
  'i32.mul': [0x6c],
  'f64.add': [0xa0],
  'f64.promote_f32': [0xbb],
  'v128.load': [0xfd, 0x00, 4, 0], // align 16, offset 0
  'v128.load16': [0xfd, 0x00, 4, 16], // align 16, offset 16
  'f32x4.splat': [0xfd, 0x13],
  'f32x4.extract_lane': [0xfd, 0x1f],
  'f32x4.add': [0xfd, 0xe4, 0x01],
  'f32x4.sub': [0xfd, 0xe5, 0x01],
  'f32x4.mul': [0xfd, 0xe6, 0x01],
}

/** Unsigned LEB128. */
function leb(value: number): number[] {
  const bytes: number[] = []
  do {
    const low = value & 0x7f
    value >>>= 7
    bytes.push(value ? low | 0x80 : low)
  } while (value)
  return bytes
}

function assemble(): Uint8Array {
  const names = [...params, ...locals.i32, ...locals.v128]
  const code: number[] = [2, ...leb(locals.i32.length), 0x7f, ...leb(locals.v128.length), 0x7b]
  for (const token of text.trim().split(/\s+/)) {
    if (token in opcodes) code.push(...opcodes[token])
    else if (names.includes(token)) code.push(...leb(names.indexOf(token)))
    else if (/^\d+$/.test(token) && Number(token) < 64)
      code.push(Number(token)) // const, depth, lane
    else throw new Error(`kmeans-distances: unknown token ${token}`)
  }
  code.push(0x0b)
  const section = (id: number, ...items: number[][]) => {
    const content = [...leb(items.length), ...items.flat()]
    return [id, ...leb(content.length), ...content]
  }
  const name = (text: string) => [...leb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))]
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, [0x60, params.length, ...params.map(() => 0x7f), 0]), // type: (i32 ×5) → ()
    ...section(2, [...name('env'), ...name('memory'), 0x02, 0x00, 1]), // imports a memory
    ...section(3, [0]), // one function, of type 0
    ...section(7, [...name('distances'), 0x00, 0]),
    ...section(10, [...leb(code.length), ...code]),
  ])
}

// The Node type-check has no DOM library, so no WebAssembly declarations: the three used here.
type WasmModule = object
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> }
  Memory: new (limits: { initial: number }) => { buffer: ArrayBuffer }
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly

let compiled: WasmModule | null | undefined

/** The compiled module, or null where WebAssembly SIMD is missing. */
function simdModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(assemble()) : null
    } catch {
      compiled = null
    }
  }
  return compiled
}

/** The rows of a data set beside `slots` centroids; `compute` writes distances to `out`. */
export interface RowDistances {
  /** one squared distance per centroid asked for */
  readonly out: Float64Array
  /** Sets centroid `slot` to `dim` values of `source` from `offset` (they should be f32 values). */
  setCentre(slot: number, source: Float32Array | Float64Array, offset: number): void
  /** out[0…count) = squared distances from row `row` to the centroids in slots first…first+count. */
  compute(row: number, first: number, count: number): void
}

/** The SIMD kernel where WebAssembly SIMD runs, else plain JavaScript. */
export function rowDistances(
  data: Float32Array,
  n: number,
  dim: number,
  slots: number,
): RowDistances {
  const module = simdModule()
  return module
    ? new SimdDistances(module, data, n, dim, slots)
    : new PlainDistances(data, dim, slots)
}

/** The rows copied into WebAssembly memory, followed by the centroids and `out`. */
export class SimdDistances implements RowDistances {
  readonly out: Float64Array
  private readonly width: number
  private readonly rowBytes: number
  private readonly centresAt: number
  private readonly outAt: number
  private readonly centres: Float32Array
  private readonly distances: (
    row: number,
    centres: number,
    count: number,
    width: number,
    out: number,
  ) => void

  constructor(
    module: WasmModule,
    data: Float32Array,
    n: number,
    readonly dim: number,
    slots: number,
  ) {
    // whole pairs of 16-byte blocks, for the kernel's two sums
    const padded = Math.ceil(dim / 8) * 8
    this.width = padded / 4
    const rowBytes = padded * 4
    this.rowBytes = rowBytes
    this.centresAt = n * rowBytes
    const outAt = this.centresAt + slots * rowBytes
    const memory = new wasm!.Memory({ initial: Math.ceil((outAt + slots * 8) / 65536) })
    const instance = new wasm!.Instance(module, { env: { memory } })
    this.distances = instance.exports.distances as SimdDistances['distances']
    const rows = new Float32Array(memory.buffer, 0, n * padded)
    if (padded === dim) rows.set(data)
    else for (let i = 0; i < n; i++) rows.set(data.subarray(i * dim, i * dim + dim), i * padded)
    this.centres = new Float32Array(memory.buffer, this.centresAt, slots * padded)
    this.out = new Float64Array(memory.buffer, outAt, slots)
    this.outAt = outAt
  }

  setCentre(slot: number, source: Float32Array | Float64Array, offset: number): void {
    const padded = this.width * 4
    for (let d = 0; d < this.dim; d++) this.centres[slot * padded + d] = source[offset + d]
  }

  compute(row: number, first: number, count: number): void {
    const { rowBytes } = this
    this.distances(row * rowBytes, this.centresAt + first * rowBytes, count, this.width, this.outAt)
  }
}

/** The same in plain JavaScript, reading the rows where they are. */
export class PlainDistances implements RowDistances {
  readonly out: Float64Array
  private readonly centres: Float64Array

  constructor(
    private readonly data: Float32Array,
    private readonly dim: number,
    slots: number,
  ) {
    this.out = new Float64Array(slots)
    this.centres = new Float64Array(slots * dim)
  }

  setCentre(slot: number, source: Float32Array | Float64Array, offset: number): void {
    const { dim } = this
    for (let d = 0; d < dim; d++) this.centres[slot * dim + d] = source[offset + d]
  }

  compute(row: number, first: number, count: number): void {
    const { data, dim, centres, out } = this
    const a = row * dim
    for (let j = 0; j < count; j++) {
      const b = (first + j) * dim
      // four running sums, so that the additions do not wait on each other
      let s0 = 0
      let s1 = 0
      let s2 = 0
      let s3 = 0
      let d = 0
      for (; d + 4 <= dim; d += 4) {
        const d0 = data[a + d] - centres[b + d]
        const d1 = data[a + d + 1] - centres[b + d + 1]
        const d2 = data[a + d + 2] - centres[b + d + 2]
        const d3 = data[a + d + 3] - centres[b + d + 3]
        s0 += d0 * d0
        s1 += d1 * d1
        s2 += d2 * d2
        s3 += d3 * d3
      }
      for (; d < dim; d++) {
        const diff = data[a + d] - centres[b + d]
        s0 += diff * diff
      }
      out[j] = s0 + s1 + s2 + s3
    }
  }
}
