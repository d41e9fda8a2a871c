import { describe, expect, it } from 'vitest'
import { presets } from '../../../main/core/shared/presets'
import { trainConfig, type TrainConfig } from '../../../main/core/shared/train-config'
import {
  activationText,
  completeConfig,
  configFromForm,
  defaultConfig,
  fieldErrorsOf,
  formFrom,
  presetOf,
  type FieldKey,
  type TrainForm,
} from '../../../renderer/src/composables/use-train-config'

/** Every term on and SGD, so that every number field of the form is checked. */
const everything: TrainConfig = trainConfig.parse({
  optimizer: 'sgd',
  sparseKL: { rho: 0.05, beta: 3 },
  sparseL1: 1e-3,
  denoising: { kind: 'gaussian', level: 0.2 },
  contractive: { lambda: 0.1 },
  variational: { beta: 1 },
})

const numberFields: FieldKey[] = [
  'latent',
  'weightDecay',
  'sparseKL.rho',
  'sparseKL.beta',
  'sparseL1',
  'denoising.level',
  'denoising.samples',
  'contractive.lambda',
  'contractive.sigma',
  'variational.beta',
  'learningRate',
  'momentum',
  'batchSize',
  'epochs',
  'seed',
  'validationSplit',
  'patience',
]

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path
  if (!rest.length) target[head] = value
  else setPath(target[head] as Record<string, unknown>, rest, value)
}

/** The form's error for a field set to a value, and whether the schema takes that value. */
function verdicts(key: FieldKey, value: number) {
  const form = formFrom(everything) as unknown as Record<string, unknown>
  // the form keeps the L1 weight beside its switch
  setPath(form, key === 'sparseL1' ? ['sparseL1', 'lambda'] : key.split('.'), value)
  const config = structuredClone(everything) as unknown as Record<string, unknown>
  setPath(config, key.split('.'), value)
  return {
    formError: configFromForm(form as unknown as TrainForm).errors[key],
    schemaTakes: trainConfig.safeParse(config).success,
  }
}

describe('the Train form checks what the schema checks', () => {
  it('the default config round-trips through the form without errors', () => {
    const { config, errors } = configFromForm(formFrom(defaultConfig))
    expect(errors).toEqual({})
    expect(config).toEqual(trainConfig.parse({}))
  })

  const probes = [-1, -0.5, 0, 0.05, 0.5, 1, 1.5, 2, 16, 17, 256, 257, 10_000, 65_537, 2 ** 31]
  it.each(numberFields)('%s: the form refuses exactly the values the schema refuses', (key) => {
    for (const value of probes) {
      const { formError, schemaTakes } = verdicts(key, value)
      expect({ value, refused: formError !== undefined }).toEqual({ value, refused: !schemaTakes })
    }
  })

  it('says the limits in words', () => {
    expect(verdicts('latent', 300).formError).toBe('Must be a whole number from 2 to 256.')
    expect(verdicts('sparseKL.rho', 1).formError).toBe('Must be a number strictly between 0 and 1.')
    expect(verdicts('patience', -1).formError).toBe('Must be a whole number of at least 0.')
  })

  it('refuses the hidden widths and conv stages the schema refuses', () => {
    const form = formFrom({ ...everything, model: 'conv' })
    form.hidden = '1, 2, 3, 4, 5, 6, 7, 8, 9'
    form.filters = '32, 513'
    const { errors } = configFromForm(form)
    expect(errors.hidden).toBe('At most 8 hidden layers.')
    expect(errors.filters).toBe('Channels are whole numbers from 1 to 512, separated by commas.')
  })
})

describe('completeConfig', () => {
  it("fills in the schema's nested defaults a preset or link leaves out", () => {
    const config = completeConfig({ denoising: { kind: 'mask', level: 0.3 } })
    expect(config.denoising).toEqual({ kind: 'mask', level: 0.3, samples: 1 })
    expect(config.latent).toBe(defaultConfig.latent)
  })

  it('every preset is recognised from the config it fills the form with', () => {
    for (const preset of presets)
      expect(presetOf(completeConfig(preset.config))?.name).toBe(preset.name)
  })
})

describe('fieldErrorsOf', () => {
  it("puts a bad-params error's config issues on the form's fields, a list's item on the list", () => {
    const errors = fieldErrorsOf([
      { path: ['config', 'hidden', 1], message: 'Too small' },
      { path: ['config', 'sparseKL', 'rho'], message: 'Too big' },
      { path: ['datasetId'], message: 'Required' },
    ])
    expect(errors).toEqual({ hidden: 'Too small', 'sparseKL.rho': 'Too big' })
  })
})

describe('activationText', () => {
  it("names a conv run's stages, not 'no hidden layer'", () => {
    const conv = trainConfig.parse({ model: 'conv', filters: [32, 64], hidden: [] })
    expect(activationText(conv)).toBe(
      `${conv.activation} conv stages of 32, 64 channels, linear code, sigmoid output`,
    )
    const dense = trainConfig.parse({ model: 'dense', hidden: [] })
    expect(activationText(dense)).toMatch(/^no hidden layer/)
  })
})
