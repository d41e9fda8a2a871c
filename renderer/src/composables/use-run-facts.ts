// What the run page lists about a run: its settings, and its outcome with its diagnostics
// (docs/models.md, "Diagnostics").
import { metricTexts } from '@shared/metrics'
import type { RunSummary } from '@shared/runs'
import type { Fact } from '../components/RunFacts.vue'
import { count, duration, plural } from '../format'
import { outcomeOf } from '../stores/use-runs'
import {
  activationText,
  architecture,
  objectiveParams,
  optimiserParams,
  short,
  variantName,
  type TrainConfig,
} from './use-train-config'

/** Every setting, as the form names it. */
export function settingsFacts(c: TrainConfig, inputSize?: number): Fact[] {
  const rows: [string, string][] = [
    ['Model', architecture(c, inputSize)],
    ['Activation', activationText(c)],
    ['Objective', `${variantName(c)}: ${objectiveParams(c).join(' · ')}`],
    ['Optimiser', optimiserParams(c).join(' · ')],
    ['Epochs', String(c.epochs)],
    ['Validation split', short(c.validationSplit)],
    [
      'Early stopping',
      c.patience ? `after ${plural(c.patience, 'epoch')} without progress` : 'off',
    ],
    ['Seed', String(c.seed)],
    ['Backend asked for', c.backend],
  ]
  return rows.map(([label, value]) => ({ label, value }))
}

const precise = (n: number | null | undefined, digits = 5) =>
  n == null ? '–' : n.toPrecision(digits)
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`

/** The losses a run ended with, then its diagnostics (computed when a run completes). */
export function runOutcomeFacts(r: RunSummary, c: TrainConfig): Fact[] {
  const facts: Fact[] = [{ label: 'Epochs', value: `${r.epochs} of ${c.epochs}` }]
  const o = outcomeOf(r)
  if (o)
    facts.push(
      { label: 'Train loss', value: precise(o.trainLoss), title: 'Total objective, last epoch' },
      { label: 'Validation loss', value: precise(o.valLoss), title: 'Reconstruction term' },
      { label: 'MSE per pixel', value: precise(o.mse, 4), title: 'On every image' },
      { label: 'Time', value: duration(o.seconds) },
      { label: 'Speed', value: `${count(o.samplesPerSec)} samples/s` },
      { label: 'Best epoch', value: `${o.bestEpoch}${o.stoppedEarly ? ' (stopped early)' : ''}` },
    )
  else if (r.lastEpoch)
    facts.push(
      { label: 'Last train loss', value: precise(r.lastEpoch.trainLoss) },
      { label: 'Last val loss', value: precise(r.lastEpoch.valLoss) },
    )
  const d = o?.diagnostics
  if (!d) return facts
  facts.push({ label: `Diagnostics, on ${count(d.sample)} images`, heading: true })
  if (d.saturated !== null)
    facts.push({
      label: 'Saturated units (SAT)',
      value: percent(d.saturated),
      title: "Hidden activations within 0.05 of their activation's bounds",
    })
  facts.push({
    label: 'Mean ‖J_f(x)‖_F',
    value: d.jacobianNorm.toPrecision(4),
    title: "Mean Frobenius norm of the encoder's Jacobian ∂h/∂x",
  })
  if (d.meanActivation !== null)
    facts.push({
      label: 'Mean activation ρ̂',
      value: d.meanActivation.toPrecision(3),
      title: 'Mean activation of the code units (sparse models)',
    })
  if (d.activeDimensions !== null)
    facts.push({
      label: 'Active dimensions',
      value: `${d.activeDimensions} of ${c.latent}`,
      title: 'Latent dimensions whose mean varies over the data (VAE)',
    })
  if (d.linearProbe !== null)
    facts.push({
      label: metricTexts.linearProbe.label,
      value: percent(d.linearProbe),
      title: metricTexts.linearProbe.definition,
    })
  if (d.knn !== null)
    facts.push({
      label: metricTexts.knnHoldout.label,
      value: percent(d.knn),
      title: metricTexts.knnHoldout.definition,
    })
  return facts
}
