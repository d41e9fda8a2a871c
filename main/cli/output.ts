import { setCounts } from '../core/shared/items'
import type { DatasetSummary, ImportResult } from '../core/shared/types'
import type { RunSummary } from '../core/shared/runs'

/** Human-readable summaries; --json prints the raw results instead. */
export function printImport(result: ImportResult): void {
  const labels = Object.entries(result.labels)
  console.log(
    `Imported ${result.items} images as dataset ${result.datasetId} in ${result.seconds.toFixed(1)} s`,
  )
  if (labels.length)
    console.log(`Labels: ${labels.map(([name, n]) => `${name} (${n})`).join(', ')}`)
  if (Object.keys(result.sets).length) console.log(`Sets (tagged): ${describeSets(result.sets)}`)
  if (result.duplicates.length)
    console.log(`${result.duplicates.length} files duplicate others byte for byte`)
  if (result.skipped.length) {
    console.log(`Skipped ${result.skipped.length} files:`)
    for (const { path, reason } of result.skipped.slice(0, 20)) console.log(`  ${path}: ${reason}`)
    if (result.skipped.length > 20)
      console.log(`  … and ${result.skipped.length - 20} more (use --json)`)
  }
}

/** A dataset's sets, train first: "train 60000, test 10000". */
export function describeSets(sets: Record<string, number>): string {
  return setCounts(sets)
    .map(([set, n]) => `${set} ${n}`)
    .join(', ')
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  for (const row of [header, ...rows])
    console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '))
}

export function printRuns(runs: RunSummary[]): void {
  if (!runs.length) {
    console.log('No runs yet: `studio train --dataset ID` starts one.')
    return
  }
  const number = (value: unknown) => (typeof value === 'number' ? value.toPrecision(4) : '–')
  printTable(
    ['id', 'name', 'dataset', 'status', 'epochs', 'train loss', 'MSE', 'backend'],
    runs.map((run) => {
      return [
        String(run.id),
        run.name,
        run.datasetName,
        run.status,
        String(run.epochs),
        number(run.summary?.trainLoss ?? run.lastEpoch?.trainLoss),
        number(run.summary?.mse ?? run.lastEpoch?.mse),
        run.backend ?? '–',
      ]
    }),
  )
}

export function printDatasets(datasets: DatasetSummary[]): void {
  if (!datasets.length) {
    console.log('No datasets yet: `studio import FOLDER` adds one.')
    return
  }
  const rows = datasets.map((d) => [
    String(d.id),
    d.name,
    String(d.items),
    `${d.width}×${d.height} ${d.channels}`,
    String(Object.keys(d.labels).length),
    describeSets(d.sets) || '–',
    d.createdAt.slice(0, 16).replace('T', ' '),
  ])
  const header = ['id', 'name', 'images', 'size', 'labels', 'sets', 'created']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  for (const row of [header, ...rows])
    console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '))
}
