// What a run trains: model, objective terms and optimisation, with defaults a newcomer can start from.
// TensorFlow-free: the core checks configs with it, the CLI takes its choices from it and the
// renderer (through the @shared alias) its form's defaults, choices and limits.
import { z } from 'zod'
import { seed } from './schemas'

/** The activations a hidden layer can use (models/activation.ts computes them). */
export const activations = ['relu', 'sigmoid', 'tanh', 'elu', 'linear'] as const
export type Activation = (typeof activations)[number]

/**
 * The tfjs backends training can run on (training/backend.ts loads them): the GPU through WebGPU,
 * then the CPU paths, fastest first.
 */
export const backendNames = ['webgpu', 'tensorflow', 'wasm', 'cpu'] as const
export type BackendName = (typeof backendNames)[number]

export const variants = [
  'vanilla',
  'sparse-kl',
  'sparse-l1',
  'denoising',
  'contractive',
  'vae',
] as const
export type Variant = (typeof variants)[number]

export const trainConfig = z.object({
  model: z.enum(['dense', 'conv']).default('dense'),
  /** dense widths of the encoder (after the conv stages for a conv model); the decoder mirrors them */
  hidden: z.array(z.number().int().min(1).max(8192)).max(8).default([256]),
  /** channels of each stride-2 conv stage of a conv model; the decoder mirrors them */
  filters: z.array(z.number().int().min(1).max(512)).min(1).max(5).default([32, 64]),
  latent: z.number().int().min(2).max(256).default(32),
  activation: z.enum(activations).default('relu'),
  reconstruction: z.enum(['mse', 'bce']).default('mse'),
  weightDecay: z.number().min(0).max(10).default(0),
  /** KL sparsity on a sigmoid code: target mean activation ρ and weight β */
  sparseKL: z
    .object({ rho: z.number().gt(0).lt(1), beta: z.number().min(0) })
    .nullable()
    .default(null),
  sparseL1: z.number().min(0).default(0),
  denoising: z
    .object({
      kind: z.enum(['mask', 'gaussian', 'salt-pepper']),
      /** fraction masked / flipped, or the Gaussian's standard deviation */
      level: z.number().min(0).max(1),
      /** L noisy copies of each image per step */
      samples: z.number().int().min(1).max(16).default(1),
    })
    .nullable()
    .default(null),
  contractive: z
    .object({ lambda: z.number().min(0), sigma: z.number().gt(0).max(1).default(0.1) })
    .nullable()
    .default(null),
  /** a VAE with β weighting its KL term */
  variational: z
    .object({ beta: z.number().min(0) })
    .nullable()
    .default(null),
  optimizer: z.enum(['adam', 'sgd']).default('adam'),
  learningRate: z.number().gt(0).max(10).default(1e-3),
  /** SGD's momentum */
  momentum: z.number().min(0).lt(1).default(0.9),
  batchSize: z.number().int().min(1).max(65536).default(256),
  epochs: z.number().int().min(1).max(10000).default(10),
  seed,
  validationSplit: z.number().min(0).max(0.5).default(0.1),
  /** stop after this many epochs without a better validation loss; 0 never stops early */
  patience: z.number().int().min(0).default(0),
  backend: z.enum(['auto', ...backendNames]).default('auto'),
})
export type TrainConfig = z.output<typeof trainConfig>
export type TrainConfigInput = z.input<typeof trainConfig>

/** The config of a named variant, on top of the user's other choices. */
export function variantDefaults(variant: Variant): Partial<TrainConfigInput> {
  switch (variant) {
    case 'vanilla':
      return {}
    case 'sparse-kl':
      return { sparseKL: { rho: 0.05, beta: 3 } }
    case 'sparse-l1':
      return { sparseL1: 1e-3 }
    case 'denoising':
      return { denoising: { kind: 'mask', level: 0.3, samples: 1 } }
    case 'contractive':
      return { contractive: { lambda: 0.1, sigma: 0.1 } }
    case 'vae':
      return { variational: { beta: 1 }, reconstruction: 'bce' }
  }
}

/** A short name for what a config trains, for lists and charts. */
export function variantOf(config: TrainConfig): string {
  const parts: string[] = []
  if (config.variational)
    parts.push(config.variational.beta === 1 ? 'VAE' : `β-VAE (${config.variational.beta})`)
  if (config.denoising) parts.push('denoising')
  if (config.sparseKL || config.sparseL1 > 0) parts.push('sparse')
  if (config.contractive) parts.push('contractive')
  return parts.length ? parts.join(' + ') : 'vanilla'
}
