// `npm run bench -- responsive`: how the process answering the UI keeps answering while a run
// of the default model trains on the bundled sample in its own process (issue 18, point 6).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { setPriority, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { dispatch } from '../../main/core/dispatch'
import type { MethodName } from '../../main/core/contract'
import { Studio } from '../../main/core/service'
import { encodeMessage } from '../../main/core/shared/wire'
import type { BackendChoice } from '../../main/core/training/backend'
import { table } from './peer'

const backend = (process.env.BENCH_BACKEND ?? 'wasm') as BackendChoice
const epochs = Number(process.env.BENCH_EPOCHS ?? 10)
/** print each stall of the event loop over this many ms, with what ran just before it */
const traceMs = Number(process.env.BENCH_TRACE_MS ?? Infinity)
/**
 * The nice level this process measures at. A user's UI process competes only with its own
 * training processes, which start 10 levels below it (jobs/spawner.ts); on a machine shared with
 * other work at level 0 the same 10 levels are kept by raising this one (which needs root).
 */
const uiNice = Number(process.env.BENCH_UI_NICE ?? -10)

/**
 * The default model (dense 256-32, 10 epochs) on the sample (2,000 images), trained in its own
 * process while this process does what `studio serve` does for a page watching the run: every
 * event encoded as a WebSocket frame, and on each epoch the calls the run and latent views make
 * (runs.get, runs.epochs, runs.epochCodes), with the items table asked for a page every 100 ms.
 * Prints the worst and the 99th-percentile event-loop delay (goal: worst under 50 ms).
 */
export async function benchResponsiveness(): Promise<void> {
  console.log(
    `\nresponsiveness while training (the UI process; the default model on the sample, ${epochs} epochs on ${backend})`,
  )
  try {
    // every thread: the event loop waits on V8's garbage-collection helpers too
    for (const task of readdirSync('/proc/self/task')) setPriority(Number(task), uiNice)
    console.log(
      `  this process at nice ${uiNice}, the training process at 10, other work here at 0`,
    )
  } catch (error) {
    console.log(`  nice ${uiNice} not allowed here (${String(error)}): measured at nice 0`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'studio-bench-'))
  const studio = new Studio({
    workspaceFile: join(dir, 'bench.sqlite'),
    resourcesDir: join(import.meta.dirname, '..', '..', 'resources'),
    shell: 'test',
    version: 'bench',
  })
  /** what ran last in this process, as far as the bench knows */
  let last = 'nothing yet'
  const slowSql: string[] = []
  if (Number.isFinite(traceMs)) {
    // each synchronous SQLite call of this process over the trace limit, with its SQL
    const statement = Object.getPrototypeOf(studio.db.prepare('SELECT 1')) as Record<
      string,
      (...args: unknown[]) => unknown
    >
    for (const name of ['run', 'get', 'all']) {
      const original = statement[name]
      statement[name] = function (this: { source: string }, ...args: unknown[]) {
        const t = performance.now()
        try {
          return original.apply(this, args)
        } finally {
          const ms = performance.now() - t
          if (ms > traceMs / 2) slowSql.push(`${ms.toFixed(0)} ms: ${this.source.slice(0, 80)}`)
        }
      }
    }
    const recovery = (studio as unknown as { recovery: { tick(): void } }).recovery
    const tick = recovery.tick.bind(recovery)
    recovery.tick = () => {
      last = 'the workspace watch (owners beat, recovery)'
      tick()
    }
  }
  const call = async (method: MethodName, params: unknown) => {
    last = method
    const reply = await dispatch(studio.handlers, method, params)
    if (!reply.ok) throw new Error(reply.error.message)
    last = `${method} (encoding)`
    encodeMessage({ type: 'result', id: 1, result: reply.result })
    last = `${method} (done)`
    return reply.result
  }
  try {
    const { datasetId } = (await call('datasets.importSample', {})) as { datasetId: number }
    const histogram = monitorEventLoopDelay({ resolution: 5 })
    const latencies: number[] = []
    const stalls: string[] = []
    let runId = -1
    let seenEpoch = -1
    let done = () => {}
    const finished = new Promise<void>((resolve) => (done = resolve))
    studio.onEvent((event, payload) => {
      last = `event ${event}`
      encodeMessage({ type: 'event', event, payload })
      if (event === 'training:epoch' && payload.runId === runId) {
        // as the latent view asks: the codes of the epochs it has not seen (use-epoch-replay.ts)
        const after = seenEpoch
        seenEpoch = payload.report.epoch
        void Promise.all([
          call('runs.get', { id: runId }),
          call('runs.epochs', { id: runId }),
          call('runs.epochCodes', { id: runId, after }),
        ])
      }
      if (
        event === 'training:status' &&
        payload.runId === runId &&
        ['completed', 'failed', 'interrupted', 'cancelled'].includes(payload.status)
      )
        done()
    })
    const started = (await call('runs.start', { datasetId, config: { epochs, backend } })) as {
      id: number
    }
    runId = started.id
    histogram.enable()
    let tick = performance.now()
    let sched = schedstat()
    // the longest stall of the event loop less the time its thread waited for a CPU: what this
    // process's own work (computing, or waiting on a lock or the disk) held it up
    let ownWorst = 0
    const watch = setInterval(() => {
      const now = performance.now()
      const next = schedstat()
      const [onCpu, queued] = [next[0] - sched[0], next[1] - sched[1]]
      ownWorst = Math.max(ownWorst, now - tick - queued)
      if (now - tick > traceMs)
        stalls.push(
          `${(now - tick).toFixed(0)} ms (${onCpu.toFixed(0)} on the CPU, ${queued.toFixed(0)} waiting for one) after ${last}`,
        )
      tick = now
      sched = next
    }, 2)
    const pinger = setInterval(() => {
      const t = performance.now()
      void call('datasets.items', { id: datasetId, offset: 0, limit: 100 }).then(() =>
        latencies.push(performance.now() - t),
      )
    }, 100)
    await finished
    clearInterval(pinger)
    clearInterval(watch)
    histogram.disable()
    const run = (await call('runs.get', { id: runId })) as { status: string; error?: string }
    if (run.status !== 'completed') console.log(`  the run ended ${run.status}: ${run.error}`)
    for (const stall of stalls) console.log(`  stall: ${stall}`)
    for (const sql of slowSql) console.log(`  slow SQL: ${sql}`)
    latencies.sort((a, b) => a - b)
    table([
      ['measure', 'ms'],
      ['event-loop delay, max', histogram.max / 1e6],
      ['event-loop delay, p99', histogram.percentile(99) / 1e6],
      ['event-loop delay less waiting for a CPU, max', ownWorst],
      ['datasets.items (100) while training, median', latencies[latencies.length >> 1] ?? NaN],
      ['datasets.items while training, max', latencies.at(-1) ?? NaN],
    ])
    const met = (ms: number) => (ms < 50 ? 'met' : 'not met')
    console.log(
      `  goal: worst event-loop delay under 50 ms: ${met(histogram.max / 1e6)}; less the time the machine gave its CPUs to others: ${met(ownWorst)}`,
    )
  } finally {
    studio.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Milliseconds the main thread has run on a CPU and waited for one (Linux's
 * /proc/self/schedstat); zeros elsewhere, where the delay cannot be split so.
 */
function schedstat(): [number, number] {
  try {
    const [run, wait] = readFileSync('/proc/self/schedstat', 'utf8').split(' ').map(Number)
    return [run / 1e6, wait / 1e6]
  } catch {
    return [0, 0]
  }
}
