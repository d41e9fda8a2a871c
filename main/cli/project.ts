// `studio project`: a run's codes (or its dataset's pixels) laid out with UMAP or PCA and
// measured, as a stored projection the app shows too.
import { type Command, Option } from 'commander'
import { writeLayoutCsv } from '../core/export/layout-csv'
import { metricTexts } from '../core/shared/metrics'
import { ProgressBar } from './progress'
import { awaitStoredJob, call, emitJson, numeric, openStudio, type GlobalOptions } from './tools'

export function projectCommand(program: Command): void {
  program
    .command('project')
    .description("lay out a run's codes (or its dataset's pixels) with UMAP or PCA, and measure it")
    .requiredOption('--run <id>', 'run id (see `studio runs`)', numeric)
    .addOption(
      new Option('--space <space>', 'what to lay out').choices(['latent', 'raw']).default('latent'),
    )
    .addOption(
      new Option('--method <method>', 'projection').choices(['umap', 'pca']).default('umap'),
    )
    .addOption(
      new Option('--dims <n>', 'dimensions of the layout').choices(['2', '3']).default('2'),
    )
    .option('--neighbors <n>', "UMAP's n_neighbors", numeric, '15')
    .option('--min-dist <x>', "UMAP's min_dist", numeric, '0.1')
    .addOption(
      new Option('--metric <name>', 'distance')
        .choices(['euclidean', 'cosine'])
        .default('euclidean'),
    )
    .option('--seed <n>', 'seed', numeric, '1')
    .option('--recompute', 'compute again even when this layout is stored')
    .option('--csv <file>', 'also write the layout as CSV (path, label, x, y[, z])')
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const options = program.opts<GlobalOptions>()
      const studio = openStudio(options)
      try {
        const projection = await awaitStoredJob(studio, 'projection', new ProgressBar(), () =>
          call(studio, 'projections.start', {
            runId: Number(flags.run),
            space: flags.space as 'latent' | 'raw',
            method: flags.method as 'umap' | 'pca',
            dims: Number(flags.dims) as 2 | 3,
            neighbors: Number(flags.neighbors),
            minDist: Number(flags.minDist),
            metric: flags.metric as 'euclidean' | 'cosine',
            seed: Number(flags.seed),
            recompute: Boolean(flags.recompute),
          }),
        )
        const projectionId = projection.id
        if (typeof flags.csv === 'string') {
          const facets = await call(studio, 'datasets.facets', { id: projection.datasetId })
          await writeLayoutCsv(flags.csv, facets, projection.coords!, projection.params.dims)
        }
        const quality = projection.quality!
        const result = {
          projectionId,
          seconds: projection.seconds,
          trustworthiness: quality.trustworthiness,
          ...(quality.knnAccuracy !== null ? { knnAccuracy: quality.knnAccuracy } : {}),
          ...(quality.silhouette !== null ? { silhouette: quality.silhouette } : {}),
        }
        if (!emitJson(options, result))
          console.log(
            `Projection ${projectionId} (${projection.method} of ${projection.space === 'raw' ? 'the pixels' : 'the codes'}, ${projection.params.dims}-D) in ${Number(projection.seconds).toFixed(1)} s: ` +
              `${metricTexts.trustworthiness.label} ${quality.trustworthiness.toFixed(3)}` +
              (quality.knnAccuracy !== null
                ? `, ${metricTexts.knnLeaveOneOut.label} ${quality.knnAccuracy.toFixed(3)}`
                : ''),
          )
      } finally {
        studio.close()
      }
    })
}
