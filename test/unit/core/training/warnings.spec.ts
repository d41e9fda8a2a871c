// Honest training status: each warning from the numbers that call for it, and none otherwise.
import { describe, expect, it } from 'vitest'
import { spreadAcrossImages, trainingWarnings } from '../../../../main/core/training/warnings'
import type { EpochRow } from '../../../../main/core/shared/runs'

const epoch = (n: number, trainLoss: number, valLoss: number | null = trainLoss): EpochRow => ({
  epoch: n,
  trainLoss,
  valLoss,
  mse: valLoss,
  terms: {},
  seconds: 1,
  samplesPerSec: 1,
})
const kinds = (warnings: { kind: string }[]) => warnings.map((w) => w.kind)

describe('training warnings', () => {
  it('says nothing of a loss that fell, on distinct reconstructions', () => {
    const spread = { images: 0.1, reconstructions: 0.06 }
    expect(trainingWarnings([epoch(1, 0.1), epoch(2, 0.05)], spread)).toEqual([])
  })

  it('warns when the loss did not fall from the first epoch to the last', () => {
    const warnings = trainingWarnings([epoch(1, 0.1), epoch(2, 0.08), epoch(3, 0.1)], null)
    expect(kinds(warnings)).toEqual(['loss-not-falling'])
    expect(warnings[0].message).toContain('0.1000 after epoch 1, 0.1000 after epoch 3')
    expect(warnings[0].advice).toMatch(/learning rate/)
    // one epoch: nothing to compare
    expect(trainingWarnings([epoch(1, 0.1)], null)).toEqual([])
  })

  it('warns when a loss is NaN or infinite, naming the epoch', () => {
    const warnings = trainingWarnings([epoch(1, 0.1), epoch(2, 0.05, NaN)], null)
    expect(kinds(warnings)).toEqual(['loss-not-finite'])
    expect(warnings[0].message).toMatch(/epoch 2/)
    expect(kinds(trainingWarnings([epoch(1, Infinity), epoch(2, Infinity)], null))).toEqual([
      'loss-not-finite',
    ])
  })

  it('warns of a collapse when the reconstructions barely differ from one another', () => {
    const warnings = trainingWarnings([epoch(1, 0.1), epoch(2, 0.05)], {
      images: 0.1,
      reconstructions: 0.001,
    })
    expect(kinds(warnings)).toEqual(['collapsed'])
    expect(warnings[0].advice).toMatch(/Lower the learning rate/)
  })

  it('measures the spread across images: 0 for copies of one image', () => {
    const same = Float32Array.from([0.2, 0.8, 0.2, 0.8, 0.2, 0.8])
    expect(spreadAcrossImages(same, 3, 2)).toBe(0)
    // pixel 0 takes 0 and 1 (variance 0.25), pixel 1 stays 0.5
    expect(spreadAcrossImages(Float32Array.from([0, 0.5, 1, 0.5]), 2, 2)).toBeCloseTo(0.125)
  })
})
