// The Train form's model and what the UI says about a training config. The defaults and limits of
// main/core/shared/train-config.ts are mirrored here, typed against TrainConfig so a new field
// there is a type error here until it is added.
import { reactive, watch } from 'vue'
import { presets, type Preset } from '@shared/presets'
import type { TrainConfig } from '@shared/train-config'

export type { TrainConfig }

/** trainConfig's defaults (main/core/training/config.ts). */
export const defaultConfig: TrainConfig = {
  model: 'dense',
  hidden: [256],
  filters: [32, 64],
  latent: 32,
  activation: 'relu',
  reconstruction: 'mse',
  weightDecay: 0,
  sparseKL: null,
  sparseL1: 0,
  denoising: null,
  contractive: null,
  variational: null,
  optimizer: 'adam',
  learningRate: 1e-3,
  momentum: 0.9,
  batchSize: 256,
  epochs: 10,
  seed: 1,
  validationSplit: 0.1,
  patience: 0,
  backend: 'auto',
}

export const activationNames: TrainConfig['activation'][] = [
  'relu',
  'sigmoid',
  'tanh',
  'elu',
  'linear',
]
export const backendChoices: TrainConfig['backend'][] = ['auto', 'tensorflow', 'wasm', 'cpu']
export const noiseKinds: NonNullable<TrainConfig['denoising']>['kind'][] = [
  'mask',
  'gaussian',
  'salt-pepper',
]

/** A config from a preset, a stored run or a link: the schema's defaults under what it sets. */
export function completeConfig(partial: unknown): TrainConfig {
  const given = (partial && typeof partial === 'object' ? partial : {}) as Partial<TrainConfig>
  const config = { ...defaultConfig, ...given }
  // nested defaults, which a preset or a link may leave out
  if (config.denoising)
    config.denoising = { ...config.denoising, samples: config.denoising.samples ?? 1 }
  if (config.contractive)
    config.contractive = { ...config.contractive, sigma: config.contractive.sigma ?? 0.1 }
  return config
}

/** What `<input type="number" v-model.number>` holds: a number, or '' when empty or unreadable. */
export type NumberInput = number | ''

/** Every objective term is present, on or off, so its parameters survive switching it off. */
export interface TrainForm {
  model: TrainConfig['model']
  /** encoder widths as typed: "512, 256" */
  hidden: string
  /** conv stages' channels as typed: "32, 64" */
  filters: string
  latent: NumberInput
  activation: TrainConfig['activation']
  reconstruction: TrainConfig['reconstruction']
  weightDecay: NumberInput
  sparseKL: { on: boolean; rho: NumberInput; beta: NumberInput }
  sparseL1: { on: boolean; lambda: NumberInput }
  denoising: {
    on: boolean
    kind: NonNullable<TrainConfig['denoising']>['kind']
    level: NumberInput
    samples: NumberInput
  }
  contractive: { on: boolean; lambda: NumberInput; sigma: NumberInput }
  variational: { on: boolean; beta: NumberInput }
  optimizer: TrainConfig['optimizer']
  learningRate: NumberInput
  momentum: NumberInput
  batchSize: NumberInput
  epochs: NumberInput
  seed: NumberInput
  validationSplit: NumberInput
  patience: NumberInput
  backend: TrainConfig['backend']
}

/** A field's place in the config, as the server's error messages name it ("sparseKL.rho"). */
export type FieldKey =
  | 'hidden'
  | 'filters'
  | 'latent'
  | 'weightDecay'
  | 'sparseKL.rho'
  | 'sparseKL.beta'
  | 'sparseL1'
  | 'denoising.level'
  | 'denoising.samples'
  | 'contractive.lambda'
  | 'contractive.sigma'
  | 'variational'
  | 'variational.beta'
  | 'learningRate'
  | 'momentum'
  | 'batchSize'
  | 'epochs'
  | 'seed'
  | 'validationSplit'
  | 'patience'
export type FieldErrors = Partial<Record<FieldKey, string>>

export function formFrom(config: TrainConfig): TrainForm {
  return {
    model: config.model,
    hidden: config.hidden.join(', '),
    filters: config.filters.join(', '),
    latent: config.latent,
    activation: config.activation,
    reconstruction: config.reconstruction,
    weightDecay: config.weightDecay,
    sparseKL: { on: config.sparseKL !== null, ...(config.sparseKL ?? { rho: 0.05, beta: 3 }) },
    sparseL1: { on: config.sparseL1 > 0, lambda: config.sparseL1 || 1e-3 },
    denoising: {
      on: config.denoising !== null,
      ...(config.denoising ?? { kind: 'mask', level: 0.3, samples: 1 }),
    },
    contractive: {
      on: config.contractive !== null,
      ...(config.contractive ?? { lambda: 0.1, sigma: 0.1 }),
    },
    variational: { on: config.variational !== null, ...(config.variational ?? { beta: 1 }) },
    optimizer: config.optimizer,
    learningRate: config.learningRate,
    momentum: config.momentum,
    batchSize: config.batchSize,
    epochs: config.epochs,
    seed: config.seed,
    validationSplit: config.validationSplit,
    patience: config.patience,
    backend: config.backend,
  }
}

interface Range {
  min: number
  max?: number
  /** min itself is refused */
  aboveMin?: boolean
  /** max itself is refused */
  belowMax?: boolean
  integer?: boolean
}

function rangeText(r: Range): string {
  const kind = r.integer ? 'a whole number' : 'a number'
  if (r.max === undefined) return `${kind} ${r.aboveMin ? 'above' : 'of at least'} ${r.min}`
  if (r.aboveMin && r.belowMax) return `${kind} strictly between ${r.min} and ${r.max}`
  if (r.aboveMin) return `${kind} above ${r.min}, at most ${r.max}`
  if (r.belowMax) return `${kind} from ${r.min} up to (not including) ${r.max}`
  return `${kind} from ${r.min} to ${r.max}`
}

/** The problem with a number field, or null; the limits are trainConfig's. */
function numberError(value: NumberInput, r: Range): string | null {
  if (value === '' || !Number.isFinite(value)) return `Enter ${rangeText(r)}.`
  const tooLow = r.aboveMin ? value <= r.min : value < r.min
  const tooHigh = r.max !== undefined && (r.belowMax ? value >= r.max : value > r.max)
  if (tooLow || tooHigh || (r.integer && !Number.isInteger(value)))
    return `Must be ${rangeText(r)}.`
  return null
}

function parseWidths(text: string): number[] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean)
  if (parts.length > 8) return 'At most 8 hidden layers.'
  const widths = parts.map(Number)
  if (widths.some((w) => !Number.isInteger(w) || w < 1 || w > 8192))
    return 'Widths are whole numbers from 1 to 8192, separated by commas.'
  return widths
}

function parseFilters(text: string): number[] | string {
  const channels = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
  if (channels.length < 1 || channels.length > 5) return 'From 1 to 5 conv stages.'
  if (channels.some((c) => !Number.isInteger(c) || c < 1 || c > 512))
    return 'Channels are whole numbers from 1 to 512, separated by commas.'
  return channels
}

/** The config the form describes, or the errors that keep it from being one. */
export function configFromForm(form: TrainForm): {
  config: TrainConfig | null
  errors: FieldErrors
} {
  const errors: FieldErrors = {}
  const num = (key: FieldKey, value: NumberInput, range: Range, when = true): number => {
    const error = when ? numberError(value, range) : null
    if (error) errors[key] = error
    return value as number
  }
  const hidden = parseWidths(form.hidden)
  if (typeof hidden === 'string') errors.hidden = hidden
  const filters = parseFilters(form.filters)
  if (typeof filters === 'string' && form.model === 'conv') errors.filters = filters
  const { sparseKL, sparseL1, denoising, contractive, variational } = form
  const config: TrainConfig = {
    model: form.model,
    hidden: typeof hidden === 'string' ? [] : hidden,
    filters: typeof filters === 'string' ? defaultConfig.filters : filters,
    latent: num('latent', form.latent, { min: 2, max: 256, integer: true }),
    activation: form.activation,
    reconstruction: form.reconstruction,
    weightDecay: num('weightDecay', form.weightDecay, { min: 0, max: 10 }),
    sparseKL: sparseKL.on
      ? {
          rho: num('sparseKL.rho', sparseKL.rho, {
            min: 0,
            max: 1,
            aboveMin: true,
            belowMax: true,
          }),
          beta: num('sparseKL.beta', sparseKL.beta, { min: 0 }),
        }
      : null,
    sparseL1: sparseL1.on ? num('sparseL1', sparseL1.lambda, { min: 0 }) : 0,
    denoising: denoising.on
      ? {
          kind: denoising.kind,
          level: num('denoising.level', denoising.level, { min: 0, max: 1 }),
          samples: num('denoising.samples', denoising.samples, { min: 1, max: 16, integer: true }),
        }
      : null,
    contractive: contractive.on
      ? {
          lambda: num('contractive.lambda', contractive.lambda, { min: 0 }),
          sigma: num('contractive.sigma', contractive.sigma, { min: 0, max: 1, aboveMin: true }),
        }
      : null,
    variational: variational.on
      ? { beta: num('variational.beta', variational.beta, { min: 0 }) }
      : null,
    optimizer: form.optimizer,
    learningRate: num('learningRate', form.learningRate, { min: 0, max: 10, aboveMin: true }),
    momentum: num(
      'momentum',
      form.momentum,
      { min: 0, max: 1, belowMax: true },
      form.optimizer === 'sgd',
    ),
    batchSize: num('batchSize', form.batchSize, { min: 1, max: 65536, integer: true }),
    epochs: num('epochs', form.epochs, { min: 1, max: 10000, integer: true }),
    seed: num('seed', form.seed, { min: 0, max: 2 ** 31 - 1, integer: true }),
    validationSplit: num('validationSplit', form.validationSplit, { min: 0, max: 0.5 }),
    patience: num('patience', form.patience, { min: 0, integer: true }),
    backend: form.backend,
  }
  if (form.optimizer !== 'sgd' && numberError(form.momentum, { min: 0, max: 1, belowMax: true }))
    config.momentum = defaultConfig.momentum
  // The VAE's code is Gaussian: the objective skips the sparsity and contractive terms for it.
  if (variational.on && (sparseKL.on || sparseL1.on || contractive.on))
    errors.variational =
      'A VAE ignores the sparsity and contractive terms: switch those off, or the VAE.'
  return { config: Object.keys(errors).length ? null : config, errors }
}

/**
 * The fields a server 'bad-params' message names. zod's prettified errors read
 * "✖ message\n  → at config.latent" (or config.hidden[0]); each becomes that field's message.
 */
export function fieldErrorsOf(message: string): FieldErrors {
  const errors: FieldErrors = {}
  const pattern = /✖ ([^\n]+)\n\s*→ at config\.([\w.[\]]+)/g
  for (const [, text, path] of message.matchAll(pattern)) {
    // "hidden[0]": the list's field
    const key = path.replace(/\[\d+\]$|\.\d+$/, '') as FieldKey
    errors[key] = text
  }
  return errors
}

/** A reactive form, reset from a config; `config` and `errors` follow its every change. */
export function useTrainForm(initial: TrainConfig = defaultConfig) {
  const form = reactive<TrainForm>(formFrom(initial))
  const checked = reactive<{ config: TrainConfig | null; errors: FieldErrors }>(
    configFromForm(form),
  )
  watch(
    form,
    () => {
      const next = configFromForm(form)
      checked.config = next.config
      checked.errors = next.errors
    },
    { deep: true },
  )
  function reset(config: TrainConfig): void {
    Object.assign(form, formFrom(config))
  }
  return { form, checked, reset }
}

/** The preset a config is, if it is one exactly. */
export function presetOf(config: TrainConfig | null): Preset | undefined {
  if (!config) return undefined
  const key = JSON.stringify(config)
  return presets.find(
    (preset) =>
      JSON.stringify(completeConfig({ ...preset.config, backend: config.backend })) === key,
  )
}

// ---------------------------------------------------------------------------------------------
// How a config reads in lists, charts and headings

/** 0.001 → "1e-3", 0.05 → "0.05", 256 → "256". */
export function short(n: number): string {
  if (n !== 0 && Math.abs(n) < 0.01) {
    const [mantissa, exponent] = n.toExponential(1).split('e')
    return `${Number(mantissa)}e${Number(exponent)}`
  }
  return String(Number(n.toPrecision(4)))
}

/** "784-256-32 dense"; without the input size, "→256-32". */
export function architecture(config: TrainConfig, inputSize?: number): string {
  const stages = config.model === 'conv' ? config.filters.map((c) => `c${c}`) : []
  const widths = [...stages, ...config.hidden, config.latent].join('-')
  return `${inputSize ? `${inputSize}-` : '→'}${widths} ${config.model}`
}

/**
 * The activations as the engine applies them (main/core/training/train.ts): the code is linear,
 * or sigmoid under the KL sparsity penalty, whose target is a mean activation in (0, 1).
 */
export function activationText(config: TrainConfig): string {
  const code = config.variational
    ? 'Gaussian code'
    : config.sparseKL
      ? 'sigmoid code (for the KL target)'
      : 'linear code'
  const hidden = config.hidden.length ? `${config.activation} hidden layers` : 'no hidden layer'
  return `${hidden}, ${code}, sigmoid output`
}

/** A short name for what a config trains (variantOf in main/core/training/config.ts). */
export function variantName(config: TrainConfig): string {
  const parts: string[] = []
  if (config.variational)
    parts.push(config.variational.beta === 1 ? 'VAE' : `β-VAE (${config.variational.beta})`)
  if (config.denoising) parts.push('denoising')
  if (config.sparseKL || config.sparseL1 > 0) parts.push('sparse')
  if (config.contractive) parts.push('contractive')
  return parts.length ? parts.join(' + ') : 'vanilla'
}

/** The objective's parameters: "ρ 0.05 · β 3 · bce". */
export function objectiveParams(config: TrainConfig): string[] {
  const parts: string[] = [config.reconstruction]
  if (config.sparseKL)
    parts.push(`ρ ${short(config.sparseKL.rho)}`, `β ${short(config.sparseKL.beta)}`)
  if (config.sparseL1 > 0) parts.push(`L1 λ ${short(config.sparseL1)}`)
  if (config.denoising) {
    const { kind, level, samples } = config.denoising
    parts.push(`${kind} ${short(level)}${samples > 1 ? ` ×${samples}` : ''}`)
  }
  if (config.contractive) parts.push(`λ ${short(config.contractive.lambda)}`)
  if (config.variational) parts.push(`β ${short(config.variational.beta)}`)
  if (config.weightDecay > 0) parts.push(`wd ${short(config.weightDecay)}`)
  return parts
}

/** The optimisation: "adam lr 1e-3 · batch 256". */
export function optimiserParams(config: TrainConfig): string[] {
  const parts = [
    `${config.optimizer} lr ${short(config.learningRate)}`,
    `batch ${config.batchSize}`,
  ]
  if (config.optimizer === 'sgd') parts.push(`momentum ${short(config.momentum)}`)
  return parts
}
