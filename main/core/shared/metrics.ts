// The metrics users read, each with the settings it is computed with and the words that say which
// definition it is: the one place the UI and the CLI take a metric's label and explanation from
// (main/core/metrics/ computes them). Two kNN accuracies exist and differ: a projection's is
// leave-one-out among sampled rows, a run's diagnostic is scored on an 80/20 holdout. Plain
// code: the renderer imports this file.

/** A projection's quality (projection/project.process.ts): k, and rows sampled with `seed`. */
export const projectionQualitySettings = { k: 10, sample: 5000, seed: 1 } as const

/** A run's diagnostic probes (metrics/diagnostics.ts): fit on `fit` of the rows, k for kNN. */
export const probeSettings = { k: 10, fit: 0.8, seed: 12345 } as const

const holdout = `${probeSettings.fit * 100}/${100 - probeSettings.fit * 100} holdout`

export interface MetricText {
  /** the name shown, with what tells it apart from a namesake */
  label: string
  /** a sentence for a tooltip or help */
  definition: string
}

export const metricTexts = {
  trustworthiness: {
    label: `trustworthiness (k = ${projectionQualitySettings.k})`,
    definition: `How many of each point's ${projectionQualitySettings.k} layout neighbours are among its true neighbours (0 to 1), on a sample of up to ${projectionQualitySettings.sample.toLocaleString('en')} points`,
  },
  knnLeaveOneOut: {
    label: `kNN accuracy (leave-one-out, k = ${projectionQualitySettings.k})`,
    definition: `Each point's label against the vote of its ${projectionQualitySettings.k} nearest other points in the layout, on a sample of up to ${projectionQualitySettings.sample.toLocaleString('en')} points`,
  },
  silhouette: {
    label: 'silhouette',
    definition:
      "How tight and apart the groups are (−1 to 1): each point's mean distance to the nearest other group against that to its own",
  },
  knnHoldout: {
    label: `kNN accuracy (${holdout}, k = ${probeSettings.k})`,
    definition: `The labels of ${100 - probeSettings.fit * 100}% of the codes held out, predicted by a vote of their ${probeSettings.k} nearest among the other ${probeSettings.fit * 100}%`,
  },
  linearProbe: {
    label: `Linear probe (${holdout})`,
    definition: `The labels of ${100 - probeSettings.fit * 100}% of the codes held out, predicted by a softmax classifier fitted on the other ${probeSettings.fit * 100}%`,
  },
} satisfies Record<string, MetricText>
