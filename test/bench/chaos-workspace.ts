// The chaos bench's hands and eyes: commands started in a process group of their own and killed
// with it, and looks at the workspace from outside (read-only), as a third process would.
import { execFileSync, spawn } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'

const root = join(import.meta.dirname, '..', '..')
const cli = join(root, 'out', 'main', 'cli.js')

/** Runs `studio …` to its end, as a user would, and returns its --json result. */
export function studio<T>(db: string, ...args: string[]): T {
  const out = execFileSync(process.execPath, [cli, ...args, '--db', db, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  })
  return JSON.parse(out.trim().split('\n').pop()!) as T
}

/** A `studio …` command (or the continue helper) in its own process group, to be killed whole. */
export interface Killable {
  /** resolves when the command itself has exited, with its code (null when killed) */
  exited: Promise<number | null>
  /** true once the command has exited on its own */
  done(): boolean
  /** kill -9 of the command and every process it started; resolves once they are all gone */
  kill(): Promise<void>
}

export function startStudio(db: string, args: string[]): Killable {
  return startGroup([cli, ...args, '--db', db, '--json'])
}

/** Continues an interrupted run in a process of its own (chaos-continue.ts). */
export function startContinue(db: string, runId: number): Killable {
  const helper = join(import.meta.dirname, 'chaos-continue.ts')
  return startGroup(['--import', 'tsx', helper, db, String(runId)])
}

function startGroup(args: string[]): Killable {
  const child = spawn(process.execPath, args, { detached: true, stdio: 'ignore' })
  let finished = false
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      finished = true
      resolve(code)
    }),
  )
  const group = child.pid!
  return {
    exited,
    done: () => finished,
    async kill() {
      signalGroup(group, 'SIGKILL')
      await exited
      // its training or compute children die with it, but are reaped by someone else
      for (let i = 0; i < 200 && signalGroup(group, 0); i++) await pause(25)
    },
  }
}

/** Sends a signal to a whole process group; false when nobody is left in it. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal)
    return true
  } catch {
    return false
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What the workspace holds, read from outside. */
export interface Snapshot {
  /** finished epochs stored, per run */
  epochs: Map<number, number>
  runs: Map<number, { status: string; planned: number }>
  datasets: Map<number, string>
  projections: Map<number, string>
  clusterings: Map<number, string>
}

function readOnly<T>(db: string, read: (raw: Database.Database) => T): T {
  const raw = new Database(db, { readonly: true, fileMustExist: true, timeout: 10_000 })
  try {
    return read(raw)
  } finally {
    raw.close()
  }
}

function statuses(raw: Database.Database, table: string): Map<number, string> {
  const rows = raw.prepare(`SELECT id, status FROM ${table}`).all() as {
    id: number
    status: string
  }[]
  return new Map(rows.map((row) => [row.id, row.status]))
}

export function snapshot(db: string): Snapshot {
  return readOnly(db, (raw) => {
    const epochs = raw
      .prepare(`SELECT run_id AS run, count(*) AS n FROM epochs GROUP BY run_id`)
      .all() as { run: number; n: number }[]
    const runs = raw.prepare(`SELECT id, status, config FROM runs`).all() as {
      id: number
      status: string
      config: string
    }[]
    return {
      epochs: new Map(epochs.map((row) => [row.run, row.n])),
      runs: new Map(
        runs.map((row) => [
          row.id,
          { status: row.status, planned: Number(JSON.parse(row.config).epochs) },
        ]),
      ),
      datasets: statuses(raw, 'datasets'),
      projections: statuses(raw, 'projections'),
      clusterings: statuses(raw, 'clusterings'),
    }
  })
}

/** The finished epochs `before` held that `after` has lost. */
export function epochsLost(before: Snapshot, after: Snapshot): number {
  let lost = 0
  for (const [run, n] of before.epochs) lost += Math.max(0, n - (after.epochs.get(run) ?? 0))
  return lost
}

/** Jobs still under way in a snapshot, as "run 3 running"; after a reopen there must be none. */
export function unfinishedJobs(look: Snapshot): string[] {
  const list = (what: string, rows: Map<number, string>, live: string[]) =>
    [...rows].filter(([, status]) => live.includes(status)).map(([id, s]) => `${what} ${id} ${s}`)
  const runs = new Map([...look.runs].map(([id, run]) => [id, run.status]))
  return [
    ...list('dataset', look.datasets, ['importing']),
    ...list('run', runs, ['queued', 'running', 'paused']),
    ...list('projection', look.projections, ['running']),
    ...list('clustering', look.clusterings, ['running']),
  ]
}

/** `PRAGMA integrity_check`: 'ok', or what it found. */
export function integrity(db: string): string {
  return readOnly(db, (raw) =>
    (raw.pragma('integrity_check') as { integrity_check: string }[])
      .map((row) => row.integrity_check)
      .join('; '),
  )
}

/** The job `kind` started since `before`, and its status in `now` ('–' when it has no row yet). */
export function newJob(
  kind: 'datasets' | 'projections' | 'clusterings',
  before: Snapshot,
  now: Snapshot,
): { id: number | null; status: string } {
  const fresh = [...now[kind]].filter(([id]) => !before[kind].has(id))
  const last = fresh.pop()
  return last ? { id: last[0], status: last[1] } : { id: null, status: '–' }
}
