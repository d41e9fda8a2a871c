// The training objective (docs/models.md, "Objectives") and its gradient, by hand.
// Every term is averaged over the batch except weight decay; models/grad-check.ts checks each
// gradient here against finite differences of an independent float64 implementation.
import * as tf from '@tensorflow/tfjs-core'
import { forwardChain, layersOf, type Autoencoder } from './autoencoder'
import { clusterTerm, type ClusterTerm, type ClusterTermOutcome } from './cluster-term'
import { layerBackward, type Layer } from './layer'

export interface Objective {
  /** Gaussian: ½‖x − x̂‖²; Bernoulli: binary cross-entropy */
  reconstruction: 'mse' | 'bce'
  /** λ of (λ/2)·Σ W², weights only */
  weightDecay: number
  /** β·Σ_j KL(ρ‖ρ̂_j) over the code units (sigmoid code) */
  sparseKL: { rho: number; beta: number } | null
  /** λ·Σ_i |h_i| over the code units */
  sparseL1: number
  /**
   * λ·‖∂h/∂x‖²_F: analytic when the encoder is one sigmoid/tanh layer, else the stochastic
   * estimate (λ/σ²)·‖h(x + ε) − h(x)‖², ε ~ N(0, σ²)
   */
  contractive: { lambda: number; sigma: number } | null
  /** β of the VAE's KL(q(z|x) ‖ N(0, I)); used only by variational models */
  vaeBeta: number
}

/** The random parts of one step, drawn by the caller so a step can be replayed exactly. */
export interface StepNoise {
  /** what the encoder sees: x itself, or its corrupted copy (denoising) */
  input: tf.Tensor
  /** VAE reparameterisation noise, B × z */
  eps: tf.Tensor | null
  /** stochastic contractive term: the perturbation ε added to the input, B × d */
  perturbation: tf.Tensor | null
}

export type LossTerms = Partial<
  Record<
    'reconstruction' | 'weightDecay' | 'sparsity' | 'contractive' | 'kl' | 'clustering',
    tf.Tensor
  >
>

/** What deep clustering adds to a step (clustering/deep-cluster.ts). */
export interface StepExtras {
  /** a term on the code (the mean, for a VAE) */
  cluster?: ClusterTerm
  /** DEC: the encoder and the cluster term alone; no decoder, no other term */
  encoderOnly?: boolean
}

export interface StepOutcome {
  terms: LossTerms
  total: tf.Tensor
  /** the variables with a gradient: every layer's (in variablesOf order), or the encoder's */
  variables: tf.Variable[]
  /** gradient of total for each of `variables` */
  grads: tf.Tensor[]
  /** the cluster term's assignments of the batch, when there is one */
  assignments: tf.Tensor | null
  /** the batch's codes (the means, for a VAE) */
  code: tf.Tensor
}

/** True when the contractive term can use the analytic Jacobian (one sigmoid/tanh layer). */
export function analyticContractive(model: Autoencoder): boolean {
  const [only] = model.encoder
  return (
    model.encoder.length === 1 &&
    only.kind === 'dense' &&
    !model.spec.variational &&
    (only.activation === 'sigmoid' || only.activation === 'tanh')
  )
}

/** g(h) = act'(z) written through h, and dg/dh, for the analytic contractive term. */
function slopeAndCurvature(h: tf.Tensor, activation: 'sigmoid' | 'tanh') {
  return activation === 'sigmoid'
    ? { g: tf.mul(h, tf.sub(1, h)), dg: tf.sub(1, tf.mul(h, 2)) }
    : { g: tf.sub(1, tf.square(h)), dg: tf.mul(h, -2) }
}

/** Loss terms and gradients of one batch. Call inside tf.tidy. */
export function lossAndGrads(
  model: Autoencoder,
  x: tf.Tensor,
  noise: StepNoise,
  objective: Objective,
  extras: StepExtras = {},
): StepOutcome {
  const batch = x.shape[0]
  const { spec } = model
  const terms: LossTerms = {}
  const grads = new Map<tf.Variable, tf.Tensor>()
  const add = (variable: tf.Variable, grad: tf.Tensor) => {
    const previous = grads.get(variable)
    grads.set(variable, previous ? tf.add(previous, grad) : grad)
  }

  const encoded = forwardChain(noise.input, model.encoder)
  const code = encoded[encoded.length - 1]
  let z = code
  let mean: tf.Tensor | null = null
  let logVar: tf.Tensor | null = null
  let sd: tf.Tensor | null = null
  if (spec.variational) {
    mean = tf.slice(code, [0, 0], [-1, spec.latent])
    logVar = tf.slice(code, [0, spec.latent], [-1, spec.latent])
    sd = tf.exp(tf.mul(logVar, 0.5))
    z = tf.add(mean, tf.mul(sd, noise.eps!))
  }
  const clustered = mean ?? code
  const cluster = extras.cluster ? clusterTerm(clustered, extras.cluster) : null
  if (cluster) terms.clustering = cluster.loss
  if (extras.encoderOnly) {
    if (!cluster) throw new Error('An encoder-only step needs a cluster term.')
    const dCode = spec.variational
      ? tf.concat([cluster.dCode, tf.zerosLike(logVar!)], 1)
      : cluster.dCode
    backChain(dCode, encoded, model.encoder, add, false, false)
    return outcomeOf(model.encoder, grads, terms, cluster, extras.cluster!, clustered)
  }
  const decoded = forwardChain(z, model.decoder)
  const xHat = decoded[decoded.length - 1]

  // Reconstruction; the output is sigmoid, so dL/d(pre-activation) is simple for both.
  const diff = tf.sub(xHat, x)
  let dOutput: tf.Tensor
  if (objective.reconstruction === 'mse') {
    terms.reconstruction = tf.div(tf.mul(tf.sum(tf.square(diff)), 0.5), batch)
    dOutput = tf.div(tf.mul(diff, tf.mul(xHat, tf.sub(1, xHat))), batch)
  } else {
    const p = tf.clipByValue(xHat, 1e-7, 1 - 1e-7)
    const logLikelihood = tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p))))
    terms.reconstruction = tf.div(tf.neg(tf.sum(logLikelihood)), batch)
    dOutput = tf.div(diff, batch)
  }
  const dz = backChain(dOutput, decoded, model.decoder, add, true, true)!

  let dCode: tf.Tensor
  if (spec.variational) {
    // KL(N(μ, σ²) ‖ N(0, 1)) = ½ Σ (μ² + σ² − 1 − log σ²)
    const variance = tf.square(sd!)
    const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.square(mean!), variance), tf.add(1, logVar!))), 0.5)
    terms.kl = tf.div(tf.mul(kl, objective.vaeBeta), batch)
    const beta = objective.vaeBeta / batch
    let dMean = tf.add(dz, tf.mul(mean!, beta))
    if (cluster) dMean = tf.add(dMean, cluster.dCode)
    const dLogVar = tf.add(
      tf.mul(tf.mul(dz, tf.mul(noise.eps!, sd!)), 0.5),
      tf.mul(tf.sub(variance, 1), beta / 2),
    )
    dCode = tf.concat([dMean, dLogVar], 1)
  } else {
    dCode = cluster ? tf.add(dz, cluster.dCode) : dz
    if (objective.sparseKL) {
      const { rho, beta } = objective.sparseKL
      const rhoHat = tf.clipByValue(tf.mean(code, 0), 1e-6, 1 - 1e-6)
      const kl = tf.add(
        tf.mul(rho, tf.log(tf.div(rho, rhoHat))),
        tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat)))),
      )
      terms.sparsity = tf.mul(tf.sum(kl), beta)
      const perUnit = tf.add(tf.div(-rho, rhoHat), tf.div(1 - rho, tf.sub(1, rhoHat)))
      dCode = tf.add(dCode, tf.mul(perUnit, beta / batch))
    }
    if (objective.sparseL1 > 0) {
      const l1 = tf.mul(tf.sum(tf.abs(code)), objective.sparseL1 / batch)
      terms.sparsity = terms.sparsity ? tf.add(terms.sparsity, l1) : l1
      dCode = tf.add(dCode, tf.mul(tf.sign(code), objective.sparseL1 / batch))
    }
    if (objective.contractive) {
      const { lambda, sigma } = objective.contractive
      if (analyticContractive(model)) {
        // ‖J‖²_F = Σ_j g(h_j)²·Σ_k W_kj², with g = act' written through h
        const layer = model.encoder[0]
        const { g, dg } = slopeAndCurvature(code, layer.activation as 'sigmoid' | 'tanh')
        const columnNorms = tf.sum(tf.square(layer.W), 0)
        const g2 = tf.square(g)
        terms.contractive = tf.mul(tf.sum(tf.mul(g2, columnNorms)), lambda / batch)
        dCode = tf.add(dCode, tf.mul(tf.mul(tf.mul(g, dg), columnNorms), (2 * lambda) / batch))
        add(layer.W, tf.mul(tf.mul(layer.W, tf.sum(g2, 0)), (2 * lambda) / batch))
      } else {
        const perturbed = forwardChain(tf.add(noise.input, noise.perturbation!), model.encoder)
        const shifted = tf.sub(perturbed[perturbed.length - 1], code)
        const scale = lambda / (sigma * sigma * batch)
        terms.contractive = tf.mul(tf.sum(tf.square(shifted)), scale)
        const dShifted = tf.mul(shifted, 2 * scale)
        backChain(dShifted, perturbed, model.encoder, add, false, false)
        dCode = tf.sub(dCode, dShifted)
      }
    }
  }
  backChain(dCode, encoded, model.encoder, add, false, false)

  if (objective.weightDecay > 0) {
    const layers = layersOf(model)
    const squares = layers.map((layer) => tf.sum(tf.square(layer.W)))
    terms.weightDecay = tf.mul(tf.addN(squares), objective.weightDecay / 2)
    for (const layer of layers) add(layer.W, tf.mul(layer.W, objective.weightDecay))
  }

  return outcomeOf(layersOf(model), grads, terms, cluster, extras.cluster, clustered)
}

/**
 * The variables a step gives gradients for, in StepOutcome.variables' order: every layer's, or
 * the encoder's alone, then the centres when they are trained with the network.
 */
export function stepVariables(
  model: Autoencoder,
  encoderOnly: boolean,
  centroids: tf.Variable | null,
): tf.Variable[] {
  const layers = encoderOnly ? model.encoder : layersOf(model)
  return [...layers.flatMap((layer) => [layer.W, layer.b]), ...(centroids ? [centroids] : [])]
}

/** The step's outcome over `layers`, with the trained centres last when the term has them. */
function outcomeOf(
  layers: Layer[],
  grads: Map<tf.Variable, tf.Tensor>,
  terms: LossTerms,
  cluster: ClusterTermOutcome | null,
  term: ClusterTerm | undefined,
  code: tf.Tensor,
): StepOutcome {
  const variables = layers.flatMap((layer) => [layer.W, layer.b])
  const ordered = variables.map((variable) => grads.get(variable)!)
  if (term?.centroids instanceof tf.Variable && cluster?.dCentroids) {
    variables.push(term.centroids)
    ordered.push(cluster.dCentroids)
  }
  const total = tf.addN(Object.values(terms)) as tf.Tensor
  return {
    terms,
    total,
    variables,
    grads: ordered,
    assignments: cluster?.assignments ?? null,
    code,
  }
}

/** Back through a chain whose activations are `outputs`; returns dL/d(input) when asked. */
function backChain(
  grad: tf.Tensor,
  outputs: tf.Tensor[],
  layers: Layer[],
  add: (variable: tf.Variable, grad: tf.Tensor) => void,
  needInput: boolean,
  topIsPreActivation: boolean,
): tf.Tensor | null {
  let current: tf.Tensor | null = grad
  for (let i = layers.length - 1; i >= 0; i--) {
    const step = layerBackward(current!, outputs[i], outputs[i + 1], layers[i], {
      needInput: i > 0 || needInput,
      preActivation: topIsPreActivation && i === layers.length - 1,
    })
    add(layers[i].W, step.dW)
    add(layers[i].b, step.db)
    current = step.dx
  }
  return current
}
