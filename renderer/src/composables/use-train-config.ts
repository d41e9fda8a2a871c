// The Train form's model and what the UI says about a training config. Its defaults, choices and
// limits are those of the schema the core checks (main/core/shared/train-config.ts).
import { reactive, watch } from 'vue'
import { presets, type Preset } from '@shared/presets'
import type { ParamIssue } from '@shared/types'
import { activations, trainConfig, variantDefaults, type TrainConfig } from '@shared/train-config'
import { fieldSchema, jsonSchemaOf, numberError, rangeOf, type Range } from './schema-limits'

export type { TrainConfig }
export { variantOf as variantName } from '@shared/train-config'

/** trainConfig's defaults. */
export const defaultConfig: TrainConfig = trainConfig.parse({})

const fields = trainConfig.shape
export const modelKinds = fields.model.unwrap().options
export const activationNames = activations
export const reconstructions = fields.reconstruction.unwrap().options
export const optimizers = fields.optimizer.unwrap().options
export const backendChoices = fields.backend.unwrap().options
export const noiseKinds = fields.denoising.unwrap().unwrap().shape.kind.options

/** A config from a preset, a stored run or a link: the schema's defaults under what it sets. */
export function completeConfig(partial: unknown): TrainConfig {
  const checked = trainConfig.safeParse(partial ?? {})
  if (checked.success) return checked.data
  // not a config the core would take: shown as it is, the defaults filling what it leaves out
  const given = (partial && typeof partial === 'object' ? partial : {}) as Partial<TrainConfig>
  return { ...defaultConfig, ...given }
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

/** Every objective term on, with the parameters each variant starts from. */
const withEveryTerm = trainConfig.parse(
  Object.assign(
    {},
    ...(['sparse-kl', 'sparse-l1', 'denoising', 'contractive', 'vae'] as const).map(
      variantDefaults,
    ),
  ),
)

export function formFrom(config: TrainConfig): TrainForm {
  const terms = withEveryTerm
  return {
    model: config.model,
    hidden: config.hidden.join(', '),
    filters: config.filters.join(', '),
    latent: config.latent,
    activation: config.activation,
    reconstruction: config.reconstruction,
    weightDecay: config.weightDecay,
    sparseKL: { on: config.sparseKL !== null, ...(config.sparseKL ?? terms.sparseKL!) },
    sparseL1: { on: config.sparseL1 > 0, lambda: config.sparseL1 || terms.sparseL1 },
    denoising: { on: config.denoising !== null, ...(config.denoising ?? terms.denoising!) },
    contractive: { on: config.contractive !== null, ...(config.contractive ?? terms.contractive!) },
    variational: { on: config.variational !== null, ...(config.variational ?? terms.variational!) },
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

const schema = jsonSchemaOf(trainConfig)
const ranges = new Map<FieldKey, Range>()
/** The limits of a number field of the form, as the schema sets them. */
function range(key: FieldKey): Range {
  if (!ranges.has(key)) ranges.set(key, rangeOf(fieldSchema(schema, key)))
  return ranges.get(key)!
}
const hiddenLimits = fieldSchema(schema, 'hidden')
const filterLimits = fieldSchema(schema, 'filters')

/** "from 1 to 8192", for the lists' messages. */
function listRangeText(items: Range): string {
  return `from ${items.min} to ${items.max}`
}

function parseWidths(text: string): number[] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean)
  if (parts.length > hiddenLimits.maxItems!)
    return `At most ${hiddenLimits.maxItems} hidden layers.`
  const widths = parts.map(Number)
  const items = rangeOf(hiddenLimits.items!)
  if (widths.some((w) => numberError(w, items)))
    return `Widths are whole numbers ${listRangeText(items)}, separated by commas.`
  return widths
}

function parseFilters(text: string): number[] | string {
  const channels = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
  const { minItems, maxItems } = filterLimits
  if (channels.length < minItems! || channels.length > maxItems!)
    return `From ${minItems} to ${maxItems} conv stages.`
  const items = rangeOf(filterLimits.items!)
  if (channels.some((c) => numberError(c, items)))
    return `Channels are whole numbers ${listRangeText(items)}, separated by commas.`
  return channels
}

/** The config the form describes, or the errors that keep it from being one. */
export function configFromForm(form: TrainForm): {
  config: TrainConfig | null
  errors: FieldErrors
} {
  const errors: FieldErrors = {}
  const num = (key: FieldKey, value: NumberInput, when = true): number => {
    const error = when ? numberError(value, range(key)) : null
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
    latent: num('latent', form.latent),
    activation: form.activation,
    reconstruction: form.reconstruction,
    weightDecay: num('weightDecay', form.weightDecay),
    sparseKL: sparseKL.on
      ? {
          rho: num('sparseKL.rho', sparseKL.rho),
          beta: num('sparseKL.beta', sparseKL.beta),
        }
      : null,
    sparseL1: sparseL1.on ? num('sparseL1', sparseL1.lambda) : 0,
    denoising: denoising.on
      ? {
          kind: denoising.kind,
          level: num('denoising.level', denoising.level),
          samples: num('denoising.samples', denoising.samples),
        }
      : null,
    contractive: contractive.on
      ? {
          lambda: num('contractive.lambda', contractive.lambda),
          sigma: num('contractive.sigma', contractive.sigma),
        }
      : null,
    variational: variational.on ? { beta: num('variational.beta', variational.beta) } : null,
    optimizer: form.optimizer,
    learningRate: num('learningRate', form.learningRate),
    momentum: num('momentum', form.momentum, form.optimizer === 'sgd'),
    batchSize: num('batchSize', form.batchSize),
    epochs: num('epochs', form.epochs),
    seed: num('seed', form.seed),
    validationSplit: num('validationSplit', form.validationSplit),
    patience: num('patience', form.patience),
    backend: form.backend,
  }
  if (form.optimizer !== 'sgd' && numberError(form.momentum, range('momentum')))
    config.momentum = defaultConfig.momentum
  // The VAE's code is Gaussian: the objective skips the sparsity and contractive terms for it.
  if (variational.on && (sparseKL.on || sparseL1.on || contractive.on))
    errors.variational =
      'A VAE ignores the sparsity and contractive terms: switch those off, or the VAE.'
  return { config: Object.keys(errors).length ? null : config, errors }
}

/** The fields a server 'bad-params' error's issues name (["config", "hidden", 0]: hidden). */
export function fieldErrorsOf(issues: ParamIssue[]): FieldErrors {
  const errors: FieldErrors = {}
  for (const { path, message } of issues) {
    if (path[0] !== 'config') continue
    // an item of a list is the list's field
    const key = path
      .slice(1)
      .filter((part) => typeof part === 'string')
      .join('.')
    if (key) errors[key as FieldKey] = message
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
  // a conv model's stages take the same activation as dense hidden layers (models/architecture.ts)
  const stages = config.model === 'conv' ? config.filters : []
  const layers = [
    ...(stages.length ? [`conv stages of ${stages.join(', ')} channels`] : []),
    ...(config.hidden.length ? ['hidden layers'] : []),
  ]
  const hidden = layers.length ? `${config.activation} ${layers.join(' and ')}` : 'no hidden layer'
  return `${hidden}, ${code}, sigmoid output`
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
