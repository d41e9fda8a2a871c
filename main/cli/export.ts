// `studio export`: a run's embeddings (CSV, JSON, .npy or a Parquet table with clusters and
// layouts), a TensorBoard projector bundle, its model (tfjs or ONNX), or a clustering
// (docs/data.md, "Data out"). Its helpers are every command's (main/cli/tools.ts).
import { type Command, InvalidArgumentError, Option } from 'commander'
import type { Studio } from '../core/service'
import { ProgressBar } from './progress'
import { call, CommandFailed, emitJson, numeric, openStudio, type GlobalOptions } from './tools'

export const exportKinds = ['embeddings', 'projector', 'model', 'onnx', 'clusters'] as const
export const exportFormats = ['csv', 'npy', 'json', 'parquet', 'folders'] as const

interface Flags {
  run: string
  clustering?: string
  projection?: string
  format: (typeof exportFormats)[number]
  out: string
  force?: boolean
}

const ids = (value: string) => {
  if (!/^\s*\d+(\s*,\s*\d+)*\s*$/.test(value))
    throw new InvalidArgumentError('expected ids such as 3 or 3,4.')
  return value
}

export function exportCommand(program: Command): void {
  const fail = (code: string, message: string) => new CommandFailed({ code, message })

  /** The clustering asked for, else the run's latest finished one (not a sweep). */
  async function clusteringOf(studio: Studio, flags: Flags, required: boolean) {
    if (flags.clustering) return Number(flags.clustering)
    const latest = (await call(studio, 'clusterings.list', { runId: Number(flags.run) })).find(
      (c) => c.method !== 'sweep' && c.status === 'completed',
    )
    if (!latest && required)
      throw fail(
        'not-found',
        `Run ${flags.run} has no finished clustering: run \`studio cluster --run ${flags.run} --k K\` first.`,
      )
    return latest?.id
  }

  async function run(studio: Studio, kind: string, flags: Flags, bar: ProgressBar) {
    const overwrite = flags.force === true
    const id = Number(flags.run)
    const projectionIds = flags.projection?.split(',').map(Number)
    if (kind === 'clusters' && flags.format === 'parquet')
      return call(studio, 'runs.export', {
        id,
        kind: 'embeddings',
        format: 'parquet',
        out: flags.out,
        clusteringId: await clusteringOf(studio, flags, true),
        projectionIds,
        overwrite,
      })
    if (kind === 'clusters') {
      if (flags.format === 'npy')
        throw fail('bad-params', 'Clusters export as csv, json, parquet or folders.')
      const clusteringId = (await clusteringOf(studio, flags, true))!
      const stop = studio.onEvent((event, payload) => {
        if (event === 'export:progress') bar.fraction('copying', payload.done / payload.total)
      })
      try {
        return await call(studio, 'clusterings.export', {
          id: clusteringId,
          format: flags.format as 'csv',
          out: flags.out,
          jobId: 'cli-export',
          overwrite,
        })
      } finally {
        stop()
      }
    }
    if (kind === 'embeddings' && flags.format === 'folders')
      throw fail('bad-params', 'Embeddings export as csv, npy, json or parquet.')
    return call(studio, 'runs.export', {
      id,
      kind: kind as 'embeddings',
      format: flags.format as 'csv',
      out: flags.out,
      ...(flags.format === 'parquet'
        ? { clusteringId: flags.clustering ? Number(flags.clustering) : undefined, projectionIds }
        : {}),
      overwrite,
    })
  }

  program
    .command('export')
    .description(
      'export a run: its embeddings, a TensorBoard projector bundle, the model (tfjs or ONNX), or a clustering',
    )
    .addArgument(
      program.createArgument('<kind>', exportKinds.join(' | ')).choices([...exportKinds]),
    )
    .requiredOption('--run <id>', 'run id (see `studio runs`)', numeric)
    .option(
      '--clustering <id>',
      "clusters, and the cluster columns of parquet: which of the run's clusterings (default: its latest)",
      numeric,
    )
    .option(
      '--projection <ids>',
      "parquet: the layouts of the run's codes to add as x, y (2-D) and x_3d, y_3d, z_3d (default: the latest)",
      ids,
    )
    .addOption(
      new Option(
        '--format <f>',
        'embeddings: csv, npy, json or parquet (with clusters and layouts); clusters: csv, json, parquet or folders',
      )
        .choices([...exportFormats])
        .default('csv'),
    )
    .requiredOption(
      '--out <path>',
      'file (embeddings, clusters csv/json/parquet) or folder (projector, model, onnx, folders)',
    )
    .option('--force', 'replace files an earlier export left at --out')
    .action(async (kind: string, flags: Flags) => {
      const options = program.opts<GlobalOptions>()
      const studio = openStudio(options)
      const bar = new ProgressBar()
      try {
        const { files } = await run(studio, kind, flags, bar)
        bar.stop()
        if (!emitJson(options, { files }))
          console.log(
            files.length > 20 ? `${files.length} files under ${flags.out}` : files.join('\n'),
          )
      } catch (error) {
        if (error instanceof CommandFailed && error.error.code === 'exists')
          throw fail(
            'exists',
            `${error.error.message.replace(/: choose another name.*$/, '')}: choose another --out, or add --force to replace.`,
          )
        throw error
      } finally {
        bar.stop()
        studio.close()
      }
    })
}
