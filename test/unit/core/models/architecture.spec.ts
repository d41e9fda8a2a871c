import { describe, expect, it } from 'vitest'
import { architecture, flatImage, type LayerShape } from '../../../../main/core/models/architecture'
import { modelSpec } from '../../../../main/core/training/config'
import { trainConfig, type TrainConfigInput } from '../../../../main/core/shared/train-config'

const spec = (input: TrainConfigInput, image: [number, number, number]) =>
  modelSpec(trainConfig.parse(input), image)

const brief = (layers: LayerShape[]) =>
  layers.map((l) =>
    l.kind === 'dense'
      ? `dense ${l.inputs}→${l.units} ${l.activation}`
      : `conv${l.upsample ? ' up' : ''}/${l.stride} ${l.inShape.join('×')}→${l.outShape.join('×')} ${l.activation}`,
  )

describe('architecture', () => {
  it('mirrors a dense encoder in the decoder, with the config activation and a sigmoid output', () => {
    const { encoder, decoder } = architecture(
      spec({ hidden: [16, 8], latent: 3, activation: 'tanh' }, flatImage(30)),
    )
    expect(brief([...encoder, ...decoder])).toEqual([
      'dense 30→16 tanh',
      'dense 16→8 tanh',
      'dense 8→3 linear',
      'dense 3→8 tanh',
      'dense 8→16 tanh',
      'dense 16→30 sigmoid',
    ])
  })

  it('makes the code sigmoid under KL sparsity, and 2·z linear for a VAE', () => {
    const sparse = architecture(
      spec({ hidden: [8], latent: 3, sparseKL: { rho: 0.05, beta: 3 } }, flatImage(12)),
    )
    expect(brief(sparse.encoder)[1]).toBe('dense 8→3 sigmoid')
    const vae = architecture(
      spec({ hidden: [8], latent: 3, variational: { beta: 1 } }, flatImage(12)),
    )
    expect(brief([...vae.encoder, ...vae.decoder]).slice(1, 3)).toEqual([
      'dense 8→6 linear',
      'dense 3→8 relu',
    ])
  })

  it('handles a dense model without hidden layers', () => {
    const { encoder, decoder } = architecture(
      spec({ hidden: [], latent: 2, activation: 'elu' }, flatImage(5)),
    )
    expect(brief([...encoder, ...decoder])).toEqual(['dense 5→2 linear', 'dense 2→5 sigmoid'])
  })

  it('halves each side per conv stage, rounding up, and crops back on the way up', () => {
    const { encoder, decoder } = architecture(
      spec({ model: 'conv', filters: [8, 16], hidden: [], latent: 4 }, [28, 27, 3]),
    )
    expect(brief([...encoder, ...decoder])).toEqual([
      'conv/2 28×27×3→14×14×8 relu',
      'conv/2 14×14×8→7×7×16 relu',
      'dense 784→4 linear',
      'dense 4→784 relu',
      'conv up/1 7×7×16→14×14×8 relu',
      'conv up/1 14×14×8→28×27×3 sigmoid',
    ])
  })
})
