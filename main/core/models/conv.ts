// One convolutional layer (3×3 by default, 'same' padding), forward and backward by hand on tfjs ops.
// Encoder layers use stride 2; decoder layers upsample ×2 (nearest) then convolve with stride 1,
// which avoids the checkerboard artefacts of transposed convolutions (Odena et al., 2016), and
// crop back to the encoder's size when an odd side was rounded up.
// Why by hand: tfjs-core registers no gradients under Node ESM, and tfjs-wasm has no
// Conv2DBackpropFilter kernel, so autodiff cannot train a conv layer on wasm. Both gradients
// below are written as forward convolutions, the kernel wasm runs fast (XNNPACK).
import * as tf from '@tensorflow/tfjs-core'
import { activationSlope } from './activation'
import { convOutputSide, type ConvShape, type Shape3 } from './architecture'

export type { Shape3 } from './architecture'

export interface ConvLayer extends ConvShape {
  /** kernel × kernel × in channels × out channels */
  W: tf.Variable<tf.Rank.R4>
  b: tf.Variable<tf.Rank.R1>
}

/** Side of the convolution's own input (after upsampling) and its output before cropping. */
function geometry(layer: ConvLayer) {
  const factor = layer.upsample ? 2 : 1
  const inH = layer.inShape[0] * factor
  const inW = layer.inShape[1] * factor
  const outH = convOutputSide(inH, layer.stride)
  const outW = convOutputSide(inW, layer.stride)
  // TensorFlow's 'same': the total padding, more of it after than before when odd
  const padH = Math.max((outH - 1) * layer.stride + layer.kernel - inH, 0)
  const padW = Math.max((outW - 1) * layer.stride + layer.kernel - inW, 0)
  return { inH, inW, outH, outW, padH, padW }
}

/**
 * Each pixel of x followed by a copy of itself ('repeat') or by zero ('zeros'), along width and
 * then height: [B,h,w,c] → [B,2h,2w,c]. Repeat is nearest-neighbour ×2; zeros spreads a
 * stride-2 gradient back onto the input grid. Concat and reshape only: tfjs-wasm's broadcastTo,
 * tile and strided slices run 20–40× slower than this (measured on a batch of 128 at 14×14×64).
 */
function interleave2(x: tf.Tensor4D, fill: 'repeat' | 'zeros'): tf.Tensor4D {
  const [batch, h, w, c] = x.shape
  const next = (t: tf.Tensor) => (fill === 'repeat' ? t : tf.zerosLike(t))
  const wide = tf.reshape(tf.concat([x, next(x)], 3), [batch, h, 1, 2 * w * c])
  return tf.reshape(tf.concat([wide, next(wide)], 2), [batch, 2 * h, 2 * w, c])
}

/** Nearest-neighbour ×2: [B,h,w,c] → [B,2h,2w,c]. */
function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  return interleave2(x, 'repeat')
}

/** The adjoint of upsample2: sum each 2×2 block, by adding slices (no strided reductions). */
function sumBlocks2(grad: tf.Tensor4D): tf.Tensor4D {
  const [batch, h2, w2, c] = grad.shape
  const h = h2 / 2
  const w = w2 / 2
  const rows = tf.reshape(grad, [batch * h, 2, w2 * c])
  const pairs = tf.reshape(
    tf.add(tf.slice(rows, [0, 0, 0], [-1, 1, -1]), tf.slice(rows, [0, 1, 0], [-1, 1, -1])),
    [batch * h * w, 2 * c],
  )
  const summed = tf.add(tf.slice(pairs, [0, 0], [-1, c]), tf.slice(pairs, [0, c], [-1, c]))
  return tf.reshape(summed, [batch, h, w, c])
}

function convInput(x: tf.Tensor, layer: ConvLayer): tf.Tensor4D {
  const image = tf.reshape(x, [x.shape[0], ...layer.inShape]) as tf.Tensor4D
  return layer.upsample ? upsample2(image) : image
}

/** y = act(conv(x) + b), flat rows in and out: [B, h·w·c] → [B, h'·w'·c']. */
export function convForward(x: tf.Tensor, layer: ConvLayer): tf.Tensor {
  const batch = x.shape[0]
  const input = convInput(x, layer)
  const { activation } = layer
  let y: tf.Tensor4D = tf.fused.conv2d({
    x: input,
    filter: layer.W,
    strides: layer.stride,
    pad: 'same',
    bias: layer.b,
    activation: activation === 'tanh' ? 'linear' : activation,
  })
  if (activation === 'tanh') y = tf.tanh(y)
  const [outH, outW, channels] = layer.outShape
  if (y.shape[1] !== outH || y.shape[2] !== outW)
    y = tf.slice(y, [0, 0, 0, 0], [batch, outH, outW, channels])
  return tf.reshape(y, [batch, outH * outW * channels])
}

export interface ConvGrads {
  dW: tf.Tensor
  db: tf.Tensor
  dx: tf.Tensor | null
}

/** Back through one conv layer; the same contract as denseBackward. */
export function convBackward(
  grad: tf.Tensor,
  x: tf.Tensor,
  y: tf.Tensor,
  layer: ConvLayer,
  options: { needInput: boolean; preActivation?: boolean },
): ConvGrads {
  const batch = x.shape[0]
  const { inH, inW, outH, outW, padH, padW } = geometry(layer)
  const [keptH, keptW, filters] = layer.outShape
  const slope = options.preActivation ? null : activationSlope(y, layer.activation)
  let dz = tf.reshape(slope ? tf.mul(grad, slope) : grad, [
    batch,
    keptH,
    keptW,
    filters,
  ]) as tf.Tensor4D
  if (keptH !== outH || keptW !== outW)
    dz = tf.pad(dz, [
      [0, 0],
      [0, outH - keptH],
      [0, outW - keptW],
      [0, 0],
    ])

  const input = convInput(x, layer)
  const top = Math.floor(padH / 2)
  const left = Math.floor(padW / 2)
  const s = layer.stride
  const k = layer.kernel

  // dW[i,j,c,f] = Σ_{b,y,x} padded[b, y·s + i, x·s + j, c] · dz[b,y,x,f]: a convolution of the
  // padded input (batch and channels swapped) by dz, dilated by the stride. One fast conv
  // kernel instead of tfjs-wasm's missing Conv2DBackpropFilter (18 ms against 560 ms for k²
  // strided-slice matMuls, batch 128 at 14×14×32 → 7×7×64).
  const padded = tf.pad(input, [
    [0, 0],
    [top, padH - top],
    [left, padW - left],
    [0, 0],
  ])
  const dW = tf.transpose(
    tf.conv2d(
      tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D,
      tf.transpose(dz, [1, 2, 0, 3]) as tf.Tensor4D,
      1,
      'valid',
      'NHWC',
      s,
    ),
    [1, 2, 0, 3],
  )

  // dx: the gradient spread back onto the input grid (zeros between rows and columns for stride
  // 2), correlated with the kernel flipped and its channels swapped: a plain stride-1 conv,
  // 5–10× faster on wasm than conv2dTranspose's kernel.
  let dx: tf.Tensor | null = null
  if (options.needInput) {
    const flipped = tf.transpose(tf.reverse(layer.W, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D
    const spread = s === 2 ? interleave2(dz, 'zeros') : dz
    const before = [k - 1 - top, k - 1 - left]
    const after = [inH + k - 1 - before[0] - s * outH, inW + k - 1 - before[1] - s * outW]
    let grid = tf.pad(spread, [
      [0, 0],
      [before[0], Math.max(after[0], 0)],
      [before[1], Math.max(after[1], 0)],
      [0, 0],
    ])
    if (after[0] < 0 || after[1] < 0)
      grid = tf.slice(grid, [0, 0, 0, 0], [batch, inH + k - 1, inW + k - 1, filters])
    let dInput = tf.conv2d(grid, flipped, 1, 'valid')
    if (layer.upsample) dInput = sumBlocks2(dInput)
    dx = tf.reshape(dInput, [batch, layer.inShape[0] * layer.inShape[1] * layer.inShape[2]])
  }
  return { dW, db: tf.sum(dz, [0, 1, 2]), dx }
}

/** Glorot-uniform filters (fan = k²·channels) and zero biases, from a seed. */
export function createConvLayer(
  inShape: Shape3,
  outShape: Shape3,
  options: Pick<ConvShape, 'kernel' | 'stride' | 'upsample' | 'activation'>,
  seed: number,
): ConvLayer {
  const { kernel, stride, upsample, activation } = options
  const fanIn = kernel * kernel * inShape[2]
  const fanOut = kernel * kernel * outShape[2]
  const limit = Math.sqrt(6 / (fanIn + fanOut))
  return {
    kind: 'conv',
    // inside tidy, so the initial values are released once the variables hold them
    W: tf.tidy(() =>
      tf.variable(
        tf.randomUniform([kernel, kernel, inShape[2], outShape[2]], -limit, limit, 'float32', seed),
      ),
    ),
    b: tf.tidy(() => tf.variable(tf.zeros([outShape[2]]))),
    inShape,
    outShape,
    kernel,
    stride,
    upsample,
    activation,
  }
}
