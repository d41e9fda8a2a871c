// A run's encoder or decoder as an ONNX graph (docs/data.md, "Data out"), written with the ONNX
// schema through onnx-proto (protobufjs), node by node from the layers modelPlan located in the
// checkpoint. Each layer maps to the operation the app computes (main/core/models/dense.ts,
// main/core/models/conv.ts): Gemm for a dense layer; for a conv stage, nearest ×2 upsampling as
// a broadcast (Reshape, Expand, Reshape), Conv with TensorFlow's 'same' padding written out
// (more after than before when odd), and a Slice where a rounded-up side is cropped back.
// Inputs and outputs are flat rows, as the app's encode() and decode() take them: the pixels of an
// image H×W×C row-major (channels last), each byte / 255. Inside, conv stages run in ONNX's NCHW,
// transposed on the way in and back on the way out, and the kernels are transposed from tfjs's
// [k, k, in, out] to ONNX's [out, in, k, k].
// onnx-proto is CommonJS: under Node's ESM only its default export is there to import
import onnxProto, { type onnx } from 'onnx-proto'
import { parameterShapes, sizeOf, type LayerShape } from '../models/architecture'
import type { LayerPlan } from './tfjs-model'

const proto = onnxProto.onnx

/** The opset the graph is written for; every operation used is in ONNX's default domain. */
export const onnxOpset = 13

const float = proto.TensorProto.DataType.FLOAT
const int64 = proto.TensorProto.DataType.INT64

export interface GraphPort {
  name: string
  /** features per row; the batch dimension is named 'batch' */
  size: number
}

class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = []
  readonly initializers: onnx.ITensorProto[] = []
  private count = 0

  constructor(private readonly prefix: string) {}

  private fresh(what: string): string {
    return `${this.prefix}/${what}_${++this.count}`
  }

  floats(what: string, dims: number[], values: Float32Array): string {
    const name = this.fresh(what)
    const bytes = new Uint8Array(values.byteLength)
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    this.initializers.push({ name, dims, dataType: float, rawData: bytes })
    return name
  }

  ints(what: string, values: number[]): string {
    const name = this.fresh(what)
    this.initializers.push({ name, dims: [values.length], dataType: int64, int64Data: values })
    return name
  }

  node(
    opType: string,
    inputs: string[],
    attributes: onnx.IAttributeProto[] = [],
    output = this.fresh(opType.toLowerCase()),
  ): string {
    this.nodes.push({
      opType,
      input: inputs,
      output: [output],
      attribute: attributes,
      name: output,
    })
    return output
  }
}

const intsAttr = (name: string, ints: number[]): onnx.IAttributeProto => ({
  name,
  type: proto.AttributeProto.AttributeType.INTS,
  ints,
})
const floatAttr = (name: string, f: number): onnx.IAttributeProto => ({
  name,
  type: proto.AttributeProto.AttributeType.FLOAT,
  f,
})

/** The layer's activation after `x`, as tfjs computes it (elu with alpha 1). */
function activate(g: GraphBuilder, x: string, layer: LayerShape, output?: string): string {
  switch (layer.activation) {
    case 'relu':
      return g.node('Relu', [x], [], output)
    case 'sigmoid':
      return g.node('Sigmoid', [x], [], output)
    case 'tanh':
      return g.node('Tanh', [x], [], output)
    case 'elu':
      return g.node('Elu', [x], [floatAttr('alpha', 1)], output)
    case 'linear':
      return output ? g.node('Identity', [x], [], output) : x
  }
}

/** The kernel [k, k, in, out] as ONNX's Conv weight [out, in, k, k]. */
function oihw(kernel: Float32Array, k: number, inputs: number, outputs: number): Float32Array {
  const out = new Float32Array(kernel.length)
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++)
      for (let c = 0; c < inputs; c++)
        for (let f = 0; f < outputs; f++)
          out[((f * inputs + c) * k + i) * k + j] = kernel[((i * k + j) * inputs + c) * outputs + f]
  return out
}

function denseLayer(
  g: GraphBuilder,
  x: string,
  layer: Extract<LayerPlan, { kind: 'dense' }>,
  weights: Float32Array,
  output?: string,
): string {
  const kernel = weights.subarray(layer.offset, layer.offset + layer.inputs * layer.units)
  const bias = weights.subarray(
    layer.offset + kernel.length,
    layer.offset + kernel.length + layer.units,
  )
  const W = g.floats(`${layer.name}/kernel`, [layer.inputs, layer.units], kernel)
  const b = g.floats(`${layer.name}/bias`, [layer.units], bias)
  return activate(g, g.node('Gemm', [x, W, b]), layer, output)
}

/** A VAE's code layer as two heads: the mean (first z columns) and the log-variance (the rest). */
function vaeHeads(
  g: GraphBuilder,
  x: string,
  layer: Extract<LayerPlan, { kind: 'dense' }>,
  weights: Float32Array,
  outputs: [string, string],
): void {
  const z = layer.units / 2
  const kernel = weights.subarray(layer.offset, layer.offset + layer.inputs * layer.units)
  const bias = weights.subarray(
    layer.offset + kernel.length,
    layer.offset + kernel.length + layer.units,
  )
  outputs.forEach((output, head) => {
    const columns = new Float32Array(layer.inputs * z)
    for (let r = 0; r < layer.inputs; r++)
      columns.set(
        kernel.subarray(r * layer.units + head * z, r * layer.units + (head + 1) * z),
        r * z,
      )
    const W = g.floats(`${layer.name}/${output}/kernel`, [layer.inputs, z], columns)
    const b = g.floats(`${layer.name}/${output}/bias`, [z], bias.slice(head * z, (head + 1) * z))
    g.node('Gemm', [x, W, b], [], output)
  })
}

/** One conv stage on an NCHW tensor; returns the NCHW result. */
function convLayer(
  g: GraphBuilder,
  x: string,
  layer: Extract<LayerPlan, { kind: 'conv' }>,
  weights: Float32Array,
): string {
  const [h, w, c] = layer.inShape
  const { kernel: kernelShape } = parameterShapes(layer)
  const [k, , inputs, outputs] = kernelShape
  let input = x
  if (layer.upsample) {
    // nearest ×2: each pixel repeated along a new axis after its row and after its column
    const split = g.node('Reshape', [input, g.ints('shape', [-1, c, h, 1, w, 1])])
    const wide = g.node('Expand', [split, g.ints('shape', [1, 1, 1, 2, 1, 2])])
    input = g.node('Reshape', [wide, g.ints('shape', [-1, c, 2 * h, 2 * w])])
  }
  const factor = layer.upsample ? 2 : 1
  const [inH, inW] = [h * factor, w * factor]
  const [outH, outW] = [Math.ceil(inH / layer.stride), Math.ceil(inW / layer.stride)]
  const padH = Math.max((outH - 1) * layer.stride + k - inH, 0)
  const padW = Math.max((outW - 1) * layer.stride + k - inW, 0)
  const top = Math.floor(padH / 2)
  const left = Math.floor(padW / 2)
  const size = sizeOf(kernelShape)
  const kernel = weights.subarray(layer.offset, layer.offset + size)
  const bias = weights.subarray(layer.offset + size, layer.offset + size + outputs)
  const W = g.floats(
    `${layer.name}/kernel`,
    [outputs, inputs, k, k],
    oihw(kernel, k, inputs, outputs),
  )
  const b = g.floats(`${layer.name}/bias`, [outputs], bias)
  let y = g.node(
    'Conv',
    [input, W, b],
    [
      intsAttr('kernel_shape', [k, k]),
      intsAttr('strides', [layer.stride, layer.stride]),
      intsAttr('pads', [top, left, padH - top, padW - left]),
      intsAttr('dilations', [1, 1]),
    ],
  )
  const [keptH, keptW] = layer.outShape
  if (keptH !== outH || keptW !== outW)
    y = g.node('Slice', [
      y,
      g.ints('starts', [0, 0]),
      g.ints('ends', [keptH, keptW]),
      g.ints('axes', [2, 3]),
    ])
  return activate(g, y, layer)
}

/**
 * The graph of one part. `outputs` names its results: one for a plain part, two (mean and
 * log-variance) for a VAE's encoder, whose last layer is then split into its two heads.
 */
export function partGraph(
  part: 'encoder' | 'decoder',
  layers: readonly LayerPlan[],
  weights: Float32Array,
  input: GraphPort,
  outputs: GraphPort[],
): onnx.IGraphProto {
  const g = new GraphBuilder(part)
  let x = input.name
  let spatial = false
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1
    if (layer.kind === 'conv') {
      if (!spatial) {
        const image = g.node('Reshape', [x, g.ints('shape', [-1, ...layer.inShape])])
        x = g.node('Transpose', [image], [intsAttr('perm', [0, 3, 1, 2])])
      }
      spatial = true
      x = convLayer(g, x, layer, weights)
      if (last) x = flatten(g, x, outputs[0].name)
      return
    }
    if (spatial) x = flatten(g, x)
    spatial = false
    if (last && outputs.length === 2)
      vaeHeads(g, x, layer, weights, [outputs[0].name, outputs[1].name])
    else x = denseLayer(g, x, layer, weights, last ? outputs[0].name : undefined)
  })
  return {
    name: part,
    node: g.nodes,
    initializer: g.initializers,
    input: [valueInfo(input)],
    output: outputs.map(valueInfo),
  }
}

/** NCHW back to channels-last rows: [B, C, H, W] → [B, H·W·C]. */
function flatten(g: GraphBuilder, x: string, output?: string): string {
  const nhwc = g.node('Transpose', [x], [intsAttr('perm', [0, 2, 3, 1])])
  return g.node(
    'Flatten',
    [nhwc],
    [{ name: 'axis', type: proto.AttributeProto.AttributeType.INT, i: 1 }],
    output,
  )
}

function valueInfo({ name, size }: GraphPort): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: float,
        shape: { dim: [{ dimParam: 'batch' }, { dimValue: size }] },
      },
    },
  }
}
