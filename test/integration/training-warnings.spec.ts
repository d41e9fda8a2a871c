// A run's warnings as the training process stores them: SGD at learning rate 10 collapses a small
// model onto one blob (the reproduction); the run still reads "completed", its summary
// says what went wrong and what to try. A healthy run has none.
import { describe, expect, it } from 'vitest'
import { Studio } from '../../main/core/service'
import { call, sampleFiles, until } from '../helpers/studio'
import { tempWorkspaceFile } from '../helpers/temp'
import { join } from 'node:path'
import type { RunSummary } from '../../main/core/shared/runs'

const resources = join(import.meta.dirname, '..', '..', 'resources')
const small = { hidden: [32], latent: 4, batchSize: 100, backend: 'cpu', seed: 3, epochs: 3 }

async function trained(config: Record<string, unknown>) {
  const studio = new Studio({
    workspaceFile: tempWorkspaceFile(),
    resourcesDir: resources,
    shell: 'test',
    version: 'test',
  })
  const { datasetId } = (await call(studio, 'datasets.import', { paths: sampleFiles })) as {
    datasetId: number
  }
  const done = until(studio, 'training:status', (s) => !['queued', 'running'].includes(s.status))
  const run = (await call(studio, 'runs.start', { datasetId, config })) as RunSummary
  const status = await done
  const summary = studio.runs.get(run.id)
  studio.close()
  return { status, summary }
}

describe('training warnings, stored with the run', () => {
  it('reports the collapse of SGD at learning rate 10, and keeps the run "completed"', async () => {
    const { status, summary } = await trained({ ...small, optimizer: 'sgd', learningRate: 10 })
    expect(status.error).toBeUndefined()
    expect(summary.status).toBe('completed')
    const kinds = summary.summary!.warnings!.map((w) => w.kind)
    expect(kinds).toContain('collapsed')
    const collapsed = summary.summary!.warnings!.find((w) => w.kind === 'collapsed')!
    expect(collapsed.advice).toMatch(/learning rate/)
  })

  it('has no warnings for a run that learned', async () => {
    const { summary } = await trained(small)
    expect(summary.status).toBe('completed')
    expect(summary.summary!.warnings).toEqual([])
  })
})
