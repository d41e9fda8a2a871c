// Images made from codes rather than from stored images (issue 6): interpolation between two
// codes, samples from a VAE's prior, the 2-D latent manifold, and one dimension swept. Each
// returns the codes it decoded beside the images, so a view can label them.
import * as tf from '@tensorflow/tfjs-core'
import { StudioError } from '../errors'
import type { Autoencoder } from '../models/autoencoder'
import { decodeCodes, valuesOf, type BatchOptions } from './decoder'

export interface Generated {
  count: number
  /** count × z, row-major */
  codes: Float32Array
  /** count × inputSize bytes, in the dataset's pixel layout */
  images: Uint8Array
}

async function generated(
  model: Autoencoder,
  codes: Float32Array,
  options?: BatchOptions,
): Promise<Generated> {
  return {
    count: codes.length / model.spec.latent,
    codes,
    images: await decodeCodes(model, codes, options),
  }
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1)
    throw new StudioError('bad-params', `The number of ${what} must be a whole number from 1.`)
}

function checkCode(model: Autoencoder, code: Float32Array, name: string): void {
  if (code.length !== model.spec.latent)
    throw new StudioError(
      'bad-params',
      `${name} has ${code.length} numbers, but this model's codes have ${model.spec.latent}.`,
    )
}

/**
 * `steps` images along the straight line from codeA to codeB, both ends included. Pass a VAE's
 * means (what encode and the stored embeddings hold), not samples.
 */
export async function interpolate(
  model: Autoencoder,
  codeA: Float32Array,
  codeB: Float32Array,
  steps: number,
  options?: BatchOptions,
): Promise<Generated> {
  checkCode(model, codeA, 'The first code')
  checkCode(model, codeB, 'The second code')
  if (!Number.isInteger(steps) || steps < 2)
    throw new StudioError('bad-params', 'An interpolation needs at least 2 steps.')
  const z = model.spec.latent
  const codes = new Float32Array(steps * z)
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1)
    // (1 − t)·a + t·b, not a + t·(b − a): the ends are then a and b exactly
    for (let j = 0; j < z; j++) codes[s * z + j] = (1 - t) * codeA[j] + t * codeB[j]
  }
  return generated(model, codes, options)
}

/** n images decoded from codes drawn from the VAE's prior N(0, I), reproducibly from the seed. */
export async function sampleGrid(
  model: Autoencoder,
  n: number,
  seed: number,
  options?: BatchOptions,
): Promise<Generated> {
  if (!model.spec.variational)
    throw new StudioError(
      'bad-params',
      'Sampling from N(0, I) needs a variational autoencoder: a plain one has no prior over its codes.',
    )
  checkCount(n, 'samples')
  const codes = await valuesOf(() => tf.randomNormal([n, model.spec.latent], 0, 1, 'float32', seed))
  return generated(model, codes, options)
}

/**
 * Φ⁻¹, the standard normal's inverse CDF, by Acklam's rational approximation (relative error
 * below 1.2e-9): a rational function in the centre, another in √(−2 ln p) in the tails.
 */
export function inverseNormalCdf(p: number): number {
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269]
  const a2 = [-30.66479806614716, 2.506628277459239]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972]
  const b2 = -13.28068155288572
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734]
  const c2 = [4.374664141464968, 2.938163982698783]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const tail = (q: number) =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c2[0]) * q + c2[1]) /
    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  const low = 0.02425
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)))
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)))
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a2[0]) * r + a2[1]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b2) * r + 1)
  )
}

type Range = [number, number]

export interface ManifoldOptions extends BatchOptions {
  /**
   * VAE: the probabilities spanned on each axis, mapped through Φ⁻¹ (default [0.05, 0.95]).
   * Otherwise the code values spanned, one range for both axes or one per axis (required: a
   * plain autoencoder's codes have no standard scale; the codes' 1st–99th percentiles suit).
   */
  range?: Range | [Range, Range]
  /** for z > 2: the two dimensions to span, the others held at `base` */
  dims?: [number, number]
  base?: Float32Array
}

/** n evenly spaced values from `from` to `to`; weighted ends, so a symmetric range is exact at its centre */
function spaced([from, to]: Range, n: number): number[] {
  if (n === 1) return [(from + to) / 2]
  return Array.from({ length: n }, (_, i) => (from * (n - 1 - i) + to * i) / (n - 1))
}

/**
 * A gridSize × gridSize grid of images over the latent plane, row-major from the top left: x
 * grows to the right and y upwards, as on a plot. For a VAE the coordinates are Φ⁻¹ of evenly
 * spaced probabilities, as in Kingma & Welling's 2-D manifold figure ("Auto-Encoding
 * Variational Bayes", 2014, appendix A), so the grid covers the prior's mass evenly rather than
 * its empty tails.
 */
export async function manifoldGrid(
  model: Autoencoder,
  gridSize: number,
  options: ManifoldOptions = {},
): Promise<Generated> {
  const { latent, variational } = model.spec
  const [dx, dy] = options.dims ?? [0, 1]
  checkCount(gridSize, 'images per side')
  if (!options.dims && latent !== 2)
    throw new StudioError(
      'bad-params',
      `This model's codes have ${latent} dimensions: choose the two to span.`,
    )
  if (dx === dy || [dx, dy].some((d) => !Number.isInteger(d) || d < 0 || d >= latent))
    throw new StudioError('bad-params', `Choose two different dimensions from 0 to ${latent - 1}.`)
  if (options.base) checkCode(model, options.base, 'The base code')
  if (!variational && !options.range)
    throw new StudioError('bad-params', 'Give the range of code values the grid should span.')
  const given = options.range ?? [0.05, 0.95]
  const [rangeX, rangeY]: [Range, Range] = Array.isArray(given[0])
    ? (given as [Range, Range])
    : [given as Range, given as Range]
  const axis = (range: Range) =>
    variational ? spaced(range, gridSize).map(inverseNormalCdf) : spaced(range, gridSize)
  const xs = axis(rangeX)
  const ys = axis(rangeY).reverse()
  const codes = new Float32Array(gridSize * gridSize * latent)
  for (let row = 0; row < gridSize; row++)
    for (let col = 0; col < gridSize; col++) {
      const at = (row * gridSize + col) * latent
      if (options.base) codes.set(options.base, at)
      codes[at + dx] = xs[col]
      codes[at + dy] = ys[row]
    }
  return generated(model, codes, options)
}

/** The code with dimension `dim` set to each of `values` in turn: what that dimension controls. */
export async function sweepDimension(
  model: Autoencoder,
  code: Float32Array,
  dim: number,
  values: ArrayLike<number>,
  options?: BatchOptions,
): Promise<Generated> {
  checkCode(model, code, 'The code')
  const z = model.spec.latent
  if (!Number.isInteger(dim) || dim < 0 || dim >= z)
    throw new StudioError('bad-params', `Choose a dimension from 0 to ${z - 1}.`)
  const codes = new Float32Array(values.length * z)
  for (let i = 0; i < values.length; i++) {
    codes.set(code, i * z)
    codes[i * z + dim] = values[i]
  }
  return generated(model, codes, options)
}
