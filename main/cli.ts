// `studio …`: the command line over the same core as the app (docs/architecture.md, "One core, three shells").
import { join } from 'node:path'
import { Command, Option } from 'commander'
import type { ParamsOf } from './core/contract'
import { defaultWorkspaceFile } from './core/paths'
import { appVersion } from './cli/locate'
import { ProgressBar } from './cli/progress'
import { exportCommand } from './cli/export'
import { clusterCommand } from './cli/cluster'
import { projectCommand } from './cli/project'
import {
  call,
  CommandFailed,
  emitJson,
  numeric,
  openStudio,
  root,
  type GlobalOptions,
} from './cli/tools'
import { printDatasets, printImport, printRuns } from './cli/output'
import { findPreset, presets } from './core/shared/presets'
import {
  activations,
  trainConfig,
  variantDefaults,
  variants,
  type TrainConfigInput,
  type Variant,
} from './core/shared/train-config'
import { importOptions, type ImportOptions } from './core/shared/import-options'
import { defaultText, enumOption } from './cli/options'
import type { RunSummary, TrainingStatus } from './core/shared/runs'

const importShape = importOptions.shape
const trainShape = trainConfig.shape

const program = new Command('studio')
  .description('Autoencoder Studio: train autoencoders on images and explore what they learn.')
  .version(appVersion(root))
  .option('--db <file>', `workspace file (default: ${defaultWorkspaceFile()})`)
  .option('--json', 'print one JSON object with the result as the last line of stdout')
  .showHelpAfterError()

program
  .command('import')
  .description('import images: folders, image files, IDX (MNIST format) or .npy arrays')
  .argument('<paths...>', 'files and folders; subfolder names become labels')
  .option('--name <name>', 'dataset name (default: the first folder name)')
  .option('--size <n>', 'images are resized to n × n', numeric, defaultText(importShape.size))
  .addOption(enumOption('--channels <c>', 'colour channels', importShape.channels))
  .addOption(
    enumOption('--fit <f>', 'pad keeps the whole image, crop fills the square', importShape.fit),
  )
  .addOption(
    enumOption(
      '--background <b>',
      'colour behind transparency and padding',
      importShape.background,
    ),
  )
  .action(async (paths: string[], flags: Record<string, string>) => {
    const options = program.opts<GlobalOptions>()
    const studio = openStudio(options)
    const bar = new ProgressBar()
    const jobId = 'cli-import'
    const unsubscribe = studio.onEvent((event, payload) => {
      if (event === 'import:progress') bar.import(payload)
    })
    const interrupt = () => void call(studio, 'jobs.cancel', { jobId })
    process.once('SIGINT', interrupt)
    try {
      const result = await call(studio, 'datasets.import', {
        paths,
        jobId,
        name: flags.name,
        size: Number(flags.size),
        channels: flags.channels as ImportOptions['channels'],
        fit: flags.fit as ImportOptions['fit'],
        background: flags.background as ImportOptions['background'],
      })
      bar.stop()
      if (!emitJson(options, result)) printImport(result)
    } finally {
      bar.stop()
      process.off('SIGINT', interrupt)
      unsubscribe()
      studio.close()
    }
  })

program
  .command('datasets')
  .description('list the datasets in the workspace')
  .action(async () => {
    const options = program.opts<GlobalOptions>()
    const studio = openStudio(options)
    try {
      const datasets = await call(studio, 'datasets.list', {})
      if (!emitJson(options, datasets)) printDatasets(datasets)
    } finally {
      studio.close()
    }
  })

function list(value: string): number[] {
  return value === '' ? [] : value.split(',').map((part) => Number(part.trim()))
}

program
  .command('train')
  .description('train an autoencoder on a dataset (in its own process) and store the run')
  .requiredOption('--dataset <id>', 'dataset id (see `studio datasets`)', numeric)
  .addOption(new Option('--preset <name>', 'a starting point').choices(presets.map((p) => p.name)))
  .addOption(
    enumOption(
      '--model <kind>',
      `architecture (default ${defaultText(trainShape.model)})`,
      trainShape.model,
      false,
    ),
  )
  .option('--hidden <widths>', 'dense widths, e.g. 512,256 (the decoder mirrors them)')
  .option('--filters <channels>', 'conv stages (each halves the image), e.g. 32,64')
  .option(
    '--latent <n>',
    `latent size z (${trainShape.latent.unwrap().minValue}–${trainShape.latent.unwrap().maxValue})`,
    numeric,
  )
  .addOption(new Option('--variant <name>', 'objective').choices([...variants]))
  .option('--epochs <n>', 'passes over the data', numeric)
  .option('--batch <n>', 'minibatch size', numeric)
  .option('--lr <x>', 'learning rate', numeric)
  .addOption(enumOption('--optimizer <name>', 'adam (default) or sgd', trainShape.optimizer, false))
  .option('--seed <n>', 'seed: the same seed and backend give the same losses', numeric)
  .option('--name <name>', 'run name')
  .addOption(enumOption('--backend <name>', 'where to compute', trainShape.backend))
  .action(async (flags: Record<string, string | undefined>) => {
    const options = program.opts<GlobalOptions>()
    const studio = openStudio(options)
    const bar = new ProgressBar()
    const config: Record<string, unknown> = {
      ...(flags.preset ? findPreset(flags.preset)!.config : {}),
      ...(flags.variant ? variantDefaults(flags.variant as Variant) : {}),
      backend: flags.backend,
    }
    for (const key of ['model', 'optimizer'] as const) if (flags[key]) config[key] = flags[key]
    if (flags.hidden !== undefined) config.hidden = list(flags.hidden)
    if (flags.filters !== undefined) config.filters = list(flags.filters)
    if (flags.latent) config.latent = Number(flags.latent)
    if (flags.epochs) config.epochs = Number(flags.epochs)
    if (flags.batch) config.batchSize = Number(flags.batch)
    if (flags.lr) config.learningRate = Number(flags.lr)
    if (flags.seed) config.seed = Number(flags.seed)
    let runId = 0
    const finished = new Promise<TrainingStatus>((resolve) =>
      studio.onEvent((event, payload) => {
        if (event === 'training:progress' && payload.runId === runId) bar.training(payload)
        if (event === 'training:status' && payload.runId === runId && payload.backend)
          console.error(
            `Training on ${payload.backend}` +
              (payload.backendNotes?.length ? ` (${payload.backendNotes.join('; ')})` : ''),
          )
        if (
          event === 'training:status' &&
          payload.runId === runId &&
          ['completed', 'failed', 'cancelled', 'interrupted'].includes(payload.status)
        )
          resolve(payload)
      }),
    )
    const interrupt = () => void call(studio, 'runs.cancel', { id: runId }).catch(() => {})
    process.once('SIGINT', interrupt)
    try {
      const run = await call(studio, 'runs.start', {
        datasetId: Number(flags.dataset),
        name: flags.name,
        config: config as ParamsOf<'runs.start'>['config'],
      })
      runId = run.id
      const status = await finished
      bar.stop()
      const stored = await call(studio, 'runs.get', { id: runId })
      if (status.status !== 'completed')
        throw new CommandFailed({
          code: status.status === 'cancelled' ? 'cancelled' : 'internal',
          message: `Run ${runId} ${status.status}${status.error ? `: ${status.error}` : '.'}`,
        })
      // a completed run has its summary
      const summary = stored.summary!
      const result = {
        runId,
        backend: stored.backend,
        epochs: summary.epochs,
        trainLoss: summary.trainLoss,
        valLoss: summary.valLoss,
        mse: summary.mse,
        samplesPerSec: summary.samplesPerSec,
        seconds: summary.seconds,
      }
      if (!emitJson(options, result))
        console.log(
          `Run ${runId} (${stored.name}) trained ${summary.epochs} epoch${summary.epochs === 1 ? '' : 's'} on ${stored.backend} in ${Number(summary.seconds).toFixed(1)} s: ` +
            `train loss ${Number(summary.trainLoss).toPrecision(4)}, MSE per pixel ${Number(summary.mse).toPrecision(4)}, ${Math.round(Number(summary.samplesPerSec))} samples/s`,
        )
    } finally {
      bar.stop()
      process.off('SIGINT', interrupt)
      studio.close()
    }
  })

projectCommand(program)

program
  .command('gradcheck')
  .description(
    `check each objective's hand-written gradients against a float64 reference (docs/models.md, "Gradient check")`,
  )
  .addOption(new Option('--variant <name>', 'check only this objective').choices([...variants]))
  .addOption(enumOption('--model <kind>', 'architecture', trainShape.model))
  .option('--hidden <widths>', 'layer shape to mimic, e.g. 512,256', '256')
  .option('--filters <channels>', 'conv stages to mimic (conv model)', '32,64')
  .addOption(
    new Option('--activation <name>', 'hidden activation')
      .choices(activations.filter((name) => name !== 'linear'))
      .default('tanh'),
  )
  .action(
    async (flags: {
      variant?: Variant
      model: TrainConfigInput['model']
      hidden: string
      filters: string
      activation: string
    }) => {
      const options = program.opts<GlobalOptions>()
      const studio = openStudio(options)
      try {
        const reports = []
        for (const variant of flags.variant ? [flags.variant] : variants) {
          const config = {
            model: flags.model,
            hidden: list(flags.hidden),
            filters: list(flags.filters),
            activation: flags.activation,
            ...variantDefaults(variant),
          } as ParamsOf<'training.gradientCheck'>['config']
          const report = await call(studio, 'training.gradientCheck', { config })
          reports.push({ variant, ...report })
          if (!options.json)
            console.log(
              `${report.passed ? 'ok  ' : 'FAIL'} ${variant.padEnd(12)} largest relative error ${report.maxRelativeError.toExponential(2)} over ${report.checked} weights (model ${report.model})`,
            )
        }
        emitJson(options, reports)
        if (reports.some((r) => !r.passed)) process.exitCode = 1
      } finally {
        studio.close()
      }
    },
  )

program
  .command('runs')
  .description('list the training runs in the workspace')
  .option('--dataset <id>', 'only the runs of this dataset', numeric)
  .action(async (flags: { dataset?: string }) => {
    const options = program.opts<GlobalOptions>()
    const studio = openStudio(options)
    try {
      const runs: RunSummary[] = await call(studio, 'runs.list', {
        datasetId: flags.dataset ? Number(flags.dataset) : undefined,
      })
      if (!emitJson(options, runs)) printRuns(runs)
    } finally {
      studio.close()
    }
  })

clusterCommand(program)

exportCommand(program)

program
  .command('serve')
  .description('run the app in a browser: serves the UI on this machine and prints its URL')
  .option('--port <port>', 'port (0 picks a free one)', numeric, '0')
  .option(
    '--host <host>',
    'address to listen on; keep the default unless you know why',
    '127.0.0.1',
  )
  .option(
    '--token-file <file>',
    'keep the access token in this file (made on first use), so open tabs survive a restart',
  )
  .option(
    '--write-dir <folder>',
    'let the page write exports on this machine, under this folder only (else they download)',
  )
  .action(async (flags: { port: string; host: string; tokenFile?: string; writeDir?: string }) => {
    const options = program.opts<GlobalOptions>()
    const { startServer } = await import('./serve/server')
    const { tokenFromFile } = await import('./serve/auth')
    const token = flags.tokenFile ? await tokenFromFile(flags.tokenFile) : undefined
    const studio = openStudio(options, 'serve')
    const workspace = options.db ?? defaultWorkspaceFile()
    const server = await startServer({
      studio,
      host: flags.host,
      port: Number(flags.port),
      rendererDir: join(root, 'out', 'renderer'),
      uploadsDir: join(workspace + '.uploads'),
      token,
      writeDir: flags.writeDir,
    })
    emitJson(options, { url: server.url, port: server.port })
    console.error(`Autoencoder Studio is serving ${workspace}`)
    console.error(
      `Open this URL in a browser (it carries the access token):\n\n    ${server.url}\n`,
    )
    const stop = async () => {
      await server.close()
      studio.close()
      process.exit(0)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })

program.parseAsync().catch((error: unknown) => {
  if (error instanceof CommandFailed) {
    console.error(`error: ${error.error.message}`)
    process.exitCode = error.error.code === 'cancelled' ? 130 : 1
  } else {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
})
