// The objective of objective.ts written a second time, in plain float64 JavaScript, without tfjs:
// the independent side of the gradient check. Slow, and meant only for tiny models.
import type { Activation } from './activation'
import type { AutoencoderSpec } from './autoencoder'
import type { Shape3 } from './conv'
import { referenceClusterLoss, type ReferenceClusterTerm } from './cluster-term'
import type { Objective } from './objective'

export interface RefLayer {
  W: Float64Array // inputs × units, row-major; conv: kernel × kernel × in × out
  b: Float64Array
  inputs: number
  units: number
  activation: Activation
  /** set for a conv layer ('same' padding; see conv.ts) */
  conv?: { inShape: Shape3; outShape: Shape3; kernel: number; stride: number; upsample: boolean }
}

export interface RefInputs {
  x: Float64Array // batch × d
  input: Float64Array // what the encoder sees
  eps: Float64Array | null
  perturbation: Float64Array | null
  batch: number
}

const act: Record<Activation, (z: number) => number> = {
  relu: (z) => Math.max(0, z),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: Math.tanh,
  elu: (z) => (z > 0 ? z : Math.exp(z) - 1),
  linear: (z) => z,
}

/** One conv layer on one image, written out loop by loop: upsample, pad, convolve, crop. */
function convImage(input: Float64Array, layer: RefLayer, out: Float64Array): void {
  const { inShape, outShape, kernel, stride, upsample } = layer.conv!
  const factor = upsample ? 2 : 1
  const [h, w, c] = inShape
  const H = h * factor
  const W = w * factor
  const fullH = Math.ceil(H / stride)
  const fullW = Math.ceil(W / stride)
  const top = Math.floor(Math.max((fullH - 1) * stride + kernel - H, 0) / 2)
  const left = Math.floor(Math.max((fullW - 1) * stride + kernel - W, 0) / 2)
  const [outH, outW, filters] = outShape
  for (let oy = 0; oy < outH; oy++)
    for (let ox = 0; ox < outW; ox++)
      for (let f = 0; f < filters; f++) {
        let sum = layer.b[f]
        for (let i = 0; i < kernel; i++)
          for (let j = 0; j < kernel; j++) {
            const y = oy * stride + i - top
            const x = ox * stride + j - left
            if (y < 0 || y >= H || x < 0 || x >= W) continue
            const source = (Math.floor(y / factor) * w + Math.floor(x / factor)) * c
            for (let ch = 0; ch < c; ch++)
              sum += input[source + ch] * layer.W[((i * kernel + j) * c + ch) * filters + f]
          }
        out[(oy * outW + ox) * filters + f] = act[layer.activation](sum)
      }
}

function forward(rows: Float64Array, batch: number, layers: RefLayer[]): Float64Array[] {
  const outputs = [rows]
  for (const layer of layers) {
    const input = outputs[outputs.length - 1]
    const out = new Float64Array(batch * layer.units)
    if (layer.conv) {
      for (let i = 0; i < batch; i++)
        convImage(
          input.subarray(i * layer.inputs, (i + 1) * layer.inputs),
          layer,
          out.subarray(i * layer.units, (i + 1) * layer.units),
        )
      outputs.push(out)
      continue
    }
    for (let i = 0; i < batch; i++)
      for (let j = 0; j < layer.units; j++) {
        let sum = layer.b[j]
        for (let k = 0; k < layer.inputs; k++)
          sum += input[i * layer.inputs + k] * layer.W[k * layer.units + j]
        out[i * layer.units + j] = act[layer.activation](sum)
      }
    outputs.push(out)
  }
  return outputs
}

/** J(θ) in float64: the same terms, batch-averaged the same way. */
export function referenceLoss(
  spec: AutoencoderSpec,
  encoder: RefLayer[],
  decoder: RefLayer[],
  inputs: RefInputs,
  objective: Objective,
  extras: { cluster?: ReferenceClusterTerm; encoderOnly?: boolean } = {},
): number {
  const { batch, x } = inputs
  const d = spec.inputSize
  const encoded = forward(inputs.input, batch, encoder)
  const code = encoded[encoded.length - 1]
  const width = encoder[encoder.length - 1].units
  let total = 0
  if (extras.cluster) {
    // the cluster term sees the code, or a VAE's means (the first half of its code)
    const latent = spec.latent
    const clustered = spec.variational
      ? Float64Array.from({ length: batch * latent }, (_, n) => {
          const i = Math.floor(n / latent)
          return code[i * width + (n % latent)]
        })
      : code
    total += referenceClusterLoss(clustered, batch, latent, extras.cluster)
    if (extras.encoderOnly) return total
  }
  let z = code
  if (spec.variational) {
    const latent = spec.latent
    z = new Float64Array(batch * latent)
    let kl = 0
    for (let i = 0; i < batch; i++)
      for (let j = 0; j < latent; j++) {
        const mean = code[i * width + j]
        const logVar = code[i * width + latent + j]
        z[i * latent + j] = mean + Math.exp(logVar / 2) * inputs.eps![i * latent + j]
        kl += 0.5 * (mean * mean + Math.exp(logVar) - 1 - logVar)
      }
    total += (objective.vaeBeta * kl) / batch
  }
  const decoded = forward(z, batch, decoder)
  const xHat = decoded[decoded.length - 1]
  let reconstruction = 0
  for (let n = 0; n < batch * d; n++) {
    if (objective.reconstruction === 'mse') reconstruction += 0.5 * (xHat[n] - x[n]) ** 2
    else {
      const p = Math.min(Math.max(xHat[n], 1e-7), 1 - 1e-7)
      reconstruction -= x[n] * Math.log(p) + (1 - x[n]) * Math.log(1 - p)
    }
  }
  total += reconstruction / batch

  if (!spec.variational) {
    if (objective.sparseKL) {
      const { rho, beta } = objective.sparseKL
      for (let j = 0; j < width; j++) {
        let mean = 0
        for (let i = 0; i < batch; i++) mean += code[i * width + j] / batch
        const rhoHat = Math.min(Math.max(mean, 1e-6), 1 - 1e-6)
        total +=
          beta * (rho * Math.log(rho / rhoHat) + (1 - rho) * Math.log((1 - rho) / (1 - rhoHat)))
      }
    }
    if (objective.sparseL1 > 0) {
      let sum = 0
      for (const h of code) sum += Math.abs(h)
      total += (objective.sparseL1 * sum) / batch
    }
    if (objective.contractive) {
      const { lambda, sigma } = objective.contractive
      const [only] = encoder
      if (encoder.length === 1 && (only.activation === 'sigmoid' || only.activation === 'tanh')) {
        let sum = 0
        for (let j = 0; j < width; j++) {
          let column = 0
          for (let k = 0; k < only.inputs; k++) column += only.W[k * width + j] ** 2
          for (let i = 0; i < batch; i++) {
            const h = code[i * width + j]
            const g = only.activation === 'sigmoid' ? h * (1 - h) : 1 - h * h
            sum += g * g * column
          }
        }
        total += (lambda * sum) / batch
      } else {
        const shiftedInput = inputs.input.map((v, n) => v + inputs.perturbation![n])
        const perturbed = forward(shiftedInput, batch, encoder)
        const other = perturbed[perturbed.length - 1]
        let sum = 0
        for (let n = 0; n < code.length; n++) sum += (other[n] - code[n]) ** 2
        total += (lambda * sum) / (sigma * sigma * batch)
      }
    }
  }
  if (objective.weightDecay > 0)
    for (const layer of [...encoder, ...decoder])
      for (const w of layer.W) total += (objective.weightDecay / 2) * w * w
  return total
}
