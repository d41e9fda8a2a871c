// `studio cluster`: a run's images clustered (k-means, N2D, or a deep method from the registry,
// main/core/shared/clustering-methods.ts) and measured, as a stored clustering the app shows too.
import { type Command, Option } from 'commander'
import { clusteringStartParams } from '../core/shared/clustering-params'
import { clusteringMethodNames } from '../core/shared/clusterings'
import {
  clusteringMethods,
  methodParams,
  methodsTaking,
  startableMethods,
  type ClusteringMethodFacts,
} from '../core/shared/clustering-methods'
import type { ParamsOf } from '../core/contract'
import { defaultText } from './options'
import { ProgressBar } from './progress'
import { awaitStoredJob, call, emitJson, numeric, openStudio, type GlobalOptions } from './tools'

const clusteringShape = clusteringStartParams.shape

export function clusterCommand(program: Command): void {
  program
    .command('cluster')
    .description(
      "cluster a run's images and measure the clusters (ACC, NMI, ARI where labelled): k-means or N2D on its codes, or a deep method that refines its encoder",
    )
    .requiredOption('--run <id>', 'run id (see `studio runs`)', numeric)
    .addOption(
      new Option(
        '--method <method>',
        clusteringMethods.map((m) => `${m.name}: ${m.description}`).join('; '),
      )
        .choices(startableMethods)
        .default('kmeans'),
    )
    .requiredOption('--k <k>', 'number of clusters', numeric)
    .option(
      '--n-init <n>',
      'k-means restarts (the best is kept)',
      numeric,
      defaultText(clusteringShape.nInit),
    )
    .option('--seed <n>', 'seed', numeric, defaultText(clusteringShape.seed))
    .option(
      '--runs <n>',
      `${methodsTaking('runs')}: runs of UMAP and the mixture, combined by consensus (default ${methodParams('n2d').runs})`,
      numeric,
    )
    .option(
      '--epochs <n>',
      `${methodsTaking('epochs')}: passes over the data at most (default ${methodParams('dcn').epochs})`,
      numeric,
    )
    .option(
      '--weight <x>',
      `${clusteringMethods
        .flatMap((m: ClusteringMethodFacts) => (m.weight ? [`${m.weight.symbol} (${m.name})`] : []))
        .join(' or ')} of the clustering term`,
      numeric,
    )
    .option(
      '--lr <x>',
      `${methodsTaking('learningRate')}: learning rate of the refinement`,
      numeric,
    )
    .action(async (flags: Record<string, string | undefined>) => {
      const options = program.opts<GlobalOptions>()
      const studio = openStudio(options)
      const optional = (value: string | undefined) =>
        value === undefined ? undefined : Number(value)
      try {
        const done = await awaitStoredJob(studio, 'clustering', new ProgressBar(), () =>
          call(studio, 'clusterings.start', {
            runId: Number(flags.run),
            method: flags.method as ParamsOf<'clusterings.start'>['method'],
            k: Number(flags.k),
            nInit: Number(flags.nInit),
            seed: Number(flags.seed),
            runs: optional(flags.runs),
            epochs: optional(flags.epochs),
            weight: optional(flags.weight),
            learningRate: optional(flags.lr),
          }),
        )
        const clusteringId = done.id
        const m = done.metrics!
        const result = {
          clusteringId,
          seconds: done.seconds,
          sizes: m.sizes,
          silhouette: m.silhouette,
          ...(m.acc !== null ? { acc: m.acc, nmi: m.nmi, ari: m.ari } : {}),
          ...(m.history ? { epochs: m.history.length } : {}),
          ...(m.refinement ? { moved: m.refinement.moved, stopped: m.refinement.stopped } : {}),
        }
        if (!emitJson(options, result))
          console.log(
            `Clustering ${clusteringId} (${clusteringMethodNames[done.method]}): ${m.sizes.length} clusters of ${m.sizes.join(', ')} in ${Number(done.seconds).toFixed(1)} s` +
              (m.history ? ` after ${m.history.length} epochs of refinement` : '') +
              (m.refinement
                ? `, which moved ${(100 * m.refinement.moved).toFixed(1)}% of the images from k-means`
                : '') +
              `; silhouette ${m.silhouette?.toFixed(3) ?? '–'}` +
              (m.acc !== null
                ? `, ACC ${m.acc.toFixed(3)}, NMI ${m.nmi!.toFixed(3)}, ARI ${m.ari!.toFixed(3)}`
                : ''),
          )
      } finally {
        studio.close()
      }
    })
}
