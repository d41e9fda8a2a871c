// `node --import tsx chaos-continue.ts WORKSPACE RUN`: continues an interrupted run as the app's
// Continue button does (the CLI has no such command), in a process of its own that the chaos
// bench can kill. It trains through the built training process, like `studio train`, and exits
// 0 when the run completes, 1 otherwise.
import { join } from 'node:path'
import { dispatch } from '../../main/core/dispatch'
import { Studio } from '../../main/core/service'

const [workspaceFile, runArg] = process.argv.slice(2)
const runId = Number(runArg)
const root = join(import.meta.dirname, '..', '..')
const studio = new Studio({
  workspaceFile,
  resourcesDir: join(root, 'resources'),
  shell: 'cli',
  version: 'bench',
  trainerEntry: { path: join(root, 'out', 'main', 'train-process.js'), execArgv: [] },
})
const ended = new Promise<string>((resolve) =>
  studio.onEvent((event, payload) => {
    if (event !== 'training:status' || payload.runId !== runId) return
    if (!['queued', 'running', 'paused'].includes(payload.status)) resolve(payload.status)
  }),
)
const outcome = await dispatch(studio.handlers, 'runs.continue', { id: runId })
const status = outcome.ok ? await ended : outcome.error.message
studio.close()
process.stdout.write(JSON.stringify({ runId, status }) + '\n')
process.exitCode = status === 'completed' ? 0 : 1
