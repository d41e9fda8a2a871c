// `npm run bench -- chaos`: kill -9 at 20 random moments across import, train (and continue),
// cluster and project, each a real `studio` process killed with its children, reopening the
// workspace after each as a user would. Goals: no finished epoch lost, no workspace failing
// `PRAGMA integrity_check`, no job left under way after the reopen, and an interrupted run
// that continues to its end.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seededRandom } from '../../main/core/shared/random'
import {
  epochsLost,
  integrity,
  newJob,
  pause,
  snapshot,
  startContinue,
  startStudio,
  studio,
  unfinishedJobs,
  type Killable,
  type Snapshot,
} from './chaos-workspace'
import { table } from './peer'

/** 20; CHAOS_KILLS=n for a shorter try */
const kills = Number(process.env.CHAOS_KILLS ?? 20)
/** CHAOS_SEED=n for another draw */
const seed = Number(process.env.CHAOS_SEED ?? 20_240_614)
const fashion = '/usr/share/datasets/fashion-mnist'
const sample = join(import.meta.dirname, '..', '..', 'resources', 'sample', 'fashion-mnist')
const trainEpochs = 30

const idx = (dir: string, name: string) =>
  join(dir, `${name}-idx${name.endsWith('images') ? 3 : 1}-ubyte.gz`)
const sampleFiles = ['sample-images', 'sample-labels'].map((name) => idx(sample, name))
/** What an import reads: Fashion-MNIST's 70,000 images when installed, else the bundled 2,000. */
const importFiles = existsSync(fashion)
  ? ['train-images', 'train-labels', 't10k-images', 't10k-labels'].map((name) => idx(fashion, name))
  : sampleFiles

type Kind = 'import' | 'train' | 'continue' | 'cluster' | 'idec' | 'project'
type Phase = 'start-up' | 'work' | 'end'

/**
 * A kill lands at this fraction of the command's whole uninterrupted time; a training's end is
 * rather the moment its last epoch is stored.
 */
const phases: Record<Phase, [number, number]> = {
  'start-up': [0, 0.12],
  work: [0.15, 0.85],
  end: [0.85, 1.05],
}

interface Plan {
  kind: Kind
  args: string
  /** the run a continue continues */
  runId?: number
  start(): Killable
}

interface Outcome {
  lost: number
  integrity: string
  unfinished: string[]
}

export async function benchChaos(): Promise<void> {
  const started = performance.now()
  console.log(`chaos benchmark: kill -9 at ${kills} random moments, reopening after each`)
  const work = mkdtempSync(join(tmpdir(), 'studio-chaos-'))
  const db = join(work, 'chaos.sqlite')
  try {
    const sampleId = studio<{ datasetId: number }>(db, 'import', ...sampleFiles).datasetId
    const trainArgs = (s: number) => [
      'train',
      ...['--dataset', String(sampleId), '--epochs', String(trainEpochs)],
      ...['--hidden', '32', '--latent', '8', '--seed', String(s)],
    ]
    const clusterArgs = (run: number, idec: boolean, s: number) => [
      'cluster',
      ...['--run', String(run), '--k', '10', '--seed', String(s)],
      ...(idec ? ['--method', 'idec', '--epochs', '3'] : []),
    ]
    const projectArgs = (run: number, s: number) => [
      'project',
      ...['--run', String(run), '--method', 'umap', '--seed', String(s), '--recompute'],
    ]
    // Each command once to its end: how long it takes sets when the kills land.
    const baseline = studio<{ runId: number }>(db, ...trainArgs(0)).runId
    const durations: Record<Kind, number> = {
      import: await timed(startStudio(db, ['import', ...importFiles])),
      train: await timed(startStudio(db, trainArgs(1))),
      continue: 0, // measured below, on a run interrupted for it
      cluster: await timed(startStudio(db, clusterArgs(baseline, false, 0))),
      idec: await timed(startStudio(db, clusterArgs(baseline, true, 0))),
      project: await timed(startStudio(db, projectArgs(baseline, 0))),
    }
    durations.continue = await timed(startContinue(db, await interruptedRun(db, trainArgs(2))))
    console.log(
      `  uninterrupted, in seconds: ${Object.entries(durations)
        .map(([kind, ms]) => `${kind} ${(ms / 1000).toFixed(1)}`)
        .join(', ')}`,
    )

    const random = seededRandom(seed)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]
    const plan = (look: Snapshot, n: number): Plan => {
      const interrupted = [...look.runs].filter(([, r]) => r.status === 'interrupted')
      const completed = [...look.runs].filter(([, r]) => r.status === 'completed')
      // training weighs double: its epochs are what a kill could lose
      const kind = pick(['import', 'train', 'train', 'cluster', 'project'] as const)
      const make = (k: Kind, args: string[]): Plan => ({
        kind: k,
        args: args.join(' '),
        start: () => startStudio(db, args),
      })
      if (kind === 'import') return make('import', ['import', ...importFiles])
      if (kind === 'train') {
        if (interrupted.length && random() < 0.4) {
          const [runId] = pick(interrupted)
          const start = () => startContinue(db, runId)
          return { kind: 'continue', args: `run ${runId}`, runId, start }
        }
        return make('train', trainArgs(100 + n))
      }
      const [runId] = pick(completed)
      if (kind === 'project') return make('project', projectArgs(runId, n))
      const idec = random() < 1 / 3
      return make(idec ? 'idec' : 'cluster', clusterArgs(runId, idec, n))
    }

    const rows: (string | number)[][] = [
      [
        '#',
        'what',
        'phase',
        'kill at s',
        'at the kill',
        'after reopen',
        'lost',
        'integrity',
        'left',
      ],
    ]
    const totals = { lost: 0, damaged: 0, unfinished: 0 }
    const problems: string[] = []
    for (let n = 1; n <= kills; n++) {
      const before = snapshot(db)
      const next = plan(before, n)
      const phase = pick(Object.keys(phases) as Phase[])
      const [low, high] = phases[phase]
      const delay = (low + random() * (high - low)) * durations[next.kind]
      const startedAt = performance.now()
      const command = next.start()
      // a training's end is aimed at: the moment its last epoch is stored, as it finishes
      if (phase === 'end' && (next.kind === 'train' || next.kind === 'continue'))
        await untilLastEpoch(db, next, before, command, 2 * durations[next.kind])
      else await Promise.race([pause(delay), command.exited])
      const killedAt = performance.now() - startedAt
      const exitedFirst = command.done()
      const atKill = snapshot(db)
      await command.kill()
      const code = await command.exited
      const outcome = reopen(db, atKill)
      const after = snapshot(db)
      totals.lost += outcome.lost
      totals.damaged += Number(outcome.integrity !== 'ok')
      totals.unfinished += outcome.unfinished.length
      if (outcome.lost || outcome.integrity !== 'ok' || outcome.unfinished.length)
        problems.push(
          `kill ${n} (${next.kind} ${next.args}): lost ${outcome.lost}, integrity ${outcome.integrity}, left ${outcome.unfinished.join(', ') || 'none'}`,
        )
      const [was, now] = states(next, before, atKill, after)
      rows.push([
        String(n),
        next.kind,
        phase,
        (killedAt / 1000).toFixed(2),
        exitedFirst ? `${was} (had exited${code ? `, code ${code}` : ''})` : was,
        now,
        String(outcome.lost),
        outcome.integrity === 'ok' ? 'ok' : 'DAMAGED',
        String(outcome.unfinished.length),
      ])
    }
    console.log(`\n  seed ${seed}; each kill takes the command's whole process group`)
    table(rows)

    const continued = await continueToEnd(db, await interruptedRun(db, trainArgs(999)))
    console.log(`\n  continuing an interrupted run to its end: ${continued.note}`)
    const goals: [string, number, number][] = [
      ['finished epochs lost', totals.lost, 0],
      ['workspaces failing integrity_check', totals.damaged, 0],
      ['jobs left under way after reopen', totals.unfinished, 0],
      ['interrupted runs that failed to continue', Number(!continued.ok), 0],
    ]
    console.log()
    table([
      ['measure', 'found', 'goal', ''],
      ...goals.map(([what, found, goal]) => [
        what,
        String(found),
        String(goal),
        found === goal ? 'met' : 'MISSED',
      ]),
    ])
    for (const problem of problems) console.log(`  ${problem}`)
    console.log(`  the whole bench took ${((performance.now() - started) / 1000).toFixed(0)} s`)
    if (goals.some(([, found, goal]) => found !== goal)) {
      console.error('chaos: a goal was missed')
      process.exitCode = 1
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** Milliseconds a command takes to its end; it must succeed. */
async function timed(command: Killable): Promise<number> {
  const started = performance.now()
  const code = await command.exited
  if (code !== 0) throw new Error(`a baseline command exited with ${code}`)
  return performance.now() - started
}

/** Opens the workspace as a user would (each command recovers on open), then checks it. */
function reopen(db: string, atKill: Snapshot): Outcome {
  studio(db, 'runs')
  studio(db, 'datasets')
  const after = snapshot(db)
  return {
    lost: epochsLost(atKill, after),
    integrity: integrity(db),
    unfinished: unfinishedJobs(after),
  }
}

/** The killed job's state at the kill and after the reopen, in words. */
function states(plan: Plan, before: Snapshot, atKill: Snapshot, after: Snapshot): [string, string] {
  if (plan.kind === 'train' || plan.kind === 'continue') {
    const id = runOf(plan, before, atKill)
    if (id === undefined) return ['no run yet', 'no run']
    const word = (look: Snapshot) =>
      `${look.runs.get(id)?.status ?? 'gone'}, ${look.epochs.get(id) ?? 0}/${trainEpochs} epochs`
    return [`run ${id} ${word(atKill)}`, word(after)]
  }
  const kind =
    plan.kind === 'import' ? 'datasets' : plan.kind === 'project' ? 'projections' : 'clusterings'
  const job = newJob(kind, before, atKill)
  if (job.id === null) return ['not stored yet', '–']
  return [`${kind.slice(0, -1)} ${job.id} ${job.status}`, after[kind].get(job.id) ?? 'removed']
}

/** The run a train or continue command trains: the one it continues, or the one it made. */
function runOf(plan: Plan, before: Snapshot, now: Snapshot): number | undefined {
  if (plan.kind === 'continue') return plan.runId
  return [...now.runs.keys()].find((run) => !before.runs.has(run))
}

/** Waits until a training has stored its last epoch (it is finishing), or `limit` ms pass. */
async function untilLastEpoch(
  db: string,
  plan: Plan,
  before: Snapshot,
  command: Killable,
  limit: number,
): Promise<void> {
  const deadline = performance.now() + limit
  while (!command.done() && performance.now() < deadline) {
    const look = snapshot(db)
    const id = runOf(plan, before, look)
    const run = id === undefined ? undefined : look.runs.get(id)
    // running: a continue's run may hold all its epochs before the continue takes it
    if (run?.status === 'running' && (look.epochs.get(id!) ?? 0) >= run.planned) return
    await pause(10)
  }
}

/** An interrupted run: one the kills left, or else a training killed after its first epoch. */
async function interruptedRun(db: string, trainArgs: string[]): Promise<number> {
  let look = snapshot(db)
  let found = [...look.runs].find(([, run]) => run.status === 'interrupted')?.[0]
  if (found !== undefined) return found
  const before = look
  const command = startStudio(db, trainArgs)
  for (;;) {
    look = snapshot(db)
    found = [...look.runs.keys()].find((id) => !before.runs.has(id) && look.epochs.get(id))
    if (found !== undefined || command.done()) break
    await pause(50)
  }
  await command.kill()
  reopen(db, look)
  if (found === undefined || snapshot(db).runs.get(found)?.status !== 'interrupted')
    throw new Error('could not make an interrupted run')
  return found
}

/** Continues an interrupted run, uninterrupted, and checks that it completes with every epoch. */
async function continueToEnd(db: string, runId: number): Promise<{ ok: boolean; note: string }> {
  const kept = snapshot(db).epochs.get(runId) ?? 0
  const code = await startContinue(db, runId).exited
  const after = snapshot(db)
  const run = after.runs.get(runId)!
  const epochs = after.epochs.get(runId) ?? 0
  const ok = code === 0 && run.status === 'completed' && epochs === run.planned
  return {
    ok,
    note: `run ${runId} from ${kept} epochs: ${run.status}, ${epochs}/${run.planned} epochs${ok ? '' : ' (FAILED)'}`,
  }
}
