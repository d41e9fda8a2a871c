// The clustering methods, one entry each: the one list the contract (its clusterings.start
// schema), the CLI's `cluster` command, the Clusters view and the cluster bench take their names,
// words, parameters and defaults from. A deep method also has its term and loop policy in
// clustering/deep/. Plain data: the renderer imports this file.

/** The parameters beyond k, restarts and seed that some methods take. */
export type MethodParam = 'runs' | 'epochs' | 'weight' | 'learningRate'

export interface ClusteringMethodFacts {
  name: string
  /** what users read where a clustering is listed */
  label: string
  /** one line for the method picker and the CLI's help */
  description: string
  /** on the run's codes as they are, or a deep method that refines the encoder for its clusters */
  kind: 'codes' | 'deep'
  /** the parameters it takes, each with its default */
  defaults: Partial<Record<MethodParam, number>>
  /** the weight's symbol and meaning, where it takes one */
  weight?: { symbol: string; title: string }
  /** which members its certainty ranks least certain, where it gives one */
  leastCertain?: string
}

const deepDefaults = { epochs: 10, learningRate: 0.001 }
const softAssignment = 'the members with the lowest soft assignment q'

export const clusteringMethods = [
  {
    name: 'kmeans',
    label: 'k-means',
    description: 'k-means on the codes',
    kind: 'codes',
    defaults: {},
  },
  {
    name: 'n2d',
    label: 'N2D',
    description: 'N2D: UMAP of the codes to 10-D, then a Gaussian mixture',
    kind: 'codes',
    /**
     * N2D's runs, combined by consensus (clustering/consensus.ts). On two sets of Fashion-MNIST
     * codes five runs alone scored ACC .576–.661 (mean .627) and .587–.637 (mean .619); their
     * consensus .660 and .637, as good as the best run. Each run costs one UMAP layout and one
     * mixture.
     */
    defaults: { runs: 5 },
    leastCertain: 'the members its runs agree on least',
  },
  {
    name: 'dcn',
    label: 'joint AE + k-means (DCN)',
    description:
      'Joint AE + k-means: refine the network for its centres, reconstruction + λ·‖f(x) − c(x)‖² (DCN)',
    kind: 'deep',
    /**
     * a tenth of the other deep methods' rate, as DCN's reference implementations refine: at 0.001
     * the codes drifted and DCN ended under its k-means on Fashion-MNIST (docs/analysis.md, DCN)
     */
    defaults: { ...deepDefaults, weight: 0.1, learningRate: 0.0001 },
    weight: {
      symbol: 'λ',
      title: 'λ: how hard codes are pulled to their centres against reconstruction',
    },
  },
  {
    name: 'idec',
    label: 'IDEC',
    description: 'IDEC: Student-t soft assignment + KL to a sharpened target, reconstruction kept',
    kind: 'deep',
    defaults: { ...deepDefaults, weight: 0.1 },
    weight: { symbol: 'γ', title: 'γ: the weight of the KL term beside reconstruction' },
    leastCertain: softAssignment,
  },
  {
    name: 'dec',
    label: 'DEC',
    description: 'DEC: Student-t soft assignment + KL to a sharpened target, encoder only',
    kind: 'deep',
    /** DEC's KL stands alone: its weight is 1, fixed (clustering/deep/dec.ts) */
    defaults: { ...deepDefaults, weight: 1 },
    leastCertain: softAssignment,
  },
] as const satisfies readonly ClusteringMethodFacts[]

type Entry = (typeof clusteringMethods)[number]
/** A method clusterings.start takes. */
export type StartableMethod = Entry['name']
/** Deep clustering, which refines the encoder for its clusters (clustering/deep-cluster.ts). */
export type DeepClusteringMethod = Extract<Entry, { kind: 'deep' }>['name']

export const startableMethods = clusteringMethods.map((m) => m.name) as [
  StartableMethod,
  ...StartableMethod[],
]
export const deepClusteringMethods = clusteringMethods
  .filter((m) => m.kind === 'deep')
  .map((m) => m.name) as DeepClusteringMethod[]

export function isDeepClusteringMethod(method: string): method is DeepClusteringMethod {
  return (deepClusteringMethods as readonly string[]).includes(method)
}

export function clusteringMethod(name: StartableMethod): ClusteringMethodFacts {
  return clusteringMethods.find((m) => m.name === name)!
}

/** The parameters `name` takes: each as given, or its default; those it does not take left out. */
export function methodParams(
  name: StartableMethod,
  given: Partial<Record<MethodParam, number>> = {},
): Partial<Record<MethodParam, number>> {
  const { defaults } = clusteringMethod(name)
  return Object.fromEntries(
    (Object.keys(defaults) as MethodParam[]).map((param) => [
      param,
      given[param] ?? defaults[param],
    ]),
  )
}

/** The methods that take `param`, for messages: "N2D (n2d)". */
export function methodsTaking(param: MethodParam): string {
  return clusteringMethods
    .filter((m: ClusteringMethodFacts) => m.defaults[param] !== undefined)
    .map((m) => `${m.label} (${m.name})`)
    .join(', ')
}

/**
 * Every deep method stops once fewer than this fraction of the images change cluster between
 * two checks (DEC's and IDEC's δ = 0.1 %).
 */
export const deepClusteringTolerance = 0.001

/**
 * DEC and IDEC recompute their target distribution P every this many iterations (batches), and
 * check the tolerance then: the papers' T = 140 for MNIST-sized sets. DCN reassigns every
 * image once an epoch.
 */
export const deepClusteringUpdateInterval = 140
