// Who is working on the workspace. Each process that opens it (the app, `studio serve`, a CLI
// command) registers as an owner and bumps its beat every few seconds; its long jobs name it.
// Another process judges an owner gone when its process has exited (on this machine), or when
// its beat has stood still for a lease measured on the judge's own monotonic clock: a laptop
// that slept froze every clock alike, so nobody is taken for dead on waking.
import { hostname } from 'node:os'
import type { Workspace } from './workspace'

/** How long an owner's beat may stand still, as this process sees it, before it is gone. */
export const leaseMs = 30_000

export type Shell = 'electron' | 'serve' | 'cli' | 'test'

interface OwnerRow {
  id: number
  pid: number
  host: string
  shell: Shell
  beat: number
}

/** True while a process with this id exists (one of another user's counts: it is alive). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'
  }
}

export interface OwnersOptions {
  /** milliseconds on a monotonic clock; performance.now() by default */
  now?: () => number
  alive?: (pid: number) => boolean
  host?: string
  pid?: number
  /** false for a read-only workspace: this process writes no row (its id is 0, no row's) */
  register?: boolean
}

export class Owners {
  /** this process's owner row */
  readonly id: number
  private readonly statements
  private readonly seen = new Map<number, { beat: number; at: number }>()
  private readonly now: () => number
  private readonly alive: (pid: number) => boolean
  private readonly host: string
  private readonly pid: number
  private readonly registered: boolean

  constructor(
    private readonly db: Workspace,
    private readonly shell: Shell,
    options: OwnersOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now())
    this.alive = options.alive ?? isAlive
    this.host = options.host ?? hostname()
    this.pid = options.pid ?? process.pid
    this.statements = {
      insert: db.prepare(`INSERT INTO owners (pid, host, shell) VALUES (?, ?, ?)`),
      reinsert: db.prepare(
        `INSERT OR IGNORE INTO owners (id, pid, host, shell, beat) VALUES (?, ?, ?, ?, ?)`,
      ),
      beat: db.prepare(`UPDATE owners SET beat = beat + 1 WHERE id = ?`),
      all: db.prepare(`SELECT id, pid, host, shell, beat FROM owners`),
      get: db.prepare(`SELECT id, pid, host, shell, beat FROM owners WHERE id = ?`),
      remove: db.prepare(`DELETE FROM owners WHERE id = ?`),
    }
    this.registered = options.register ?? true
    this.id = this.registered
      ? Number(this.statements.insert.run(this.pid, this.host, shell).lastInsertRowid)
      : 0
  }

  /**
   * Says this process still lives. Returns false when another took it for gone meanwhile. It
   * never waits for the write lock: the process answering the UI beats, and a training process
   * writing an epoch holds the lock for a while, so a beat that finds it taken is skipped (the
   * next one, 2 s later, counts; the lease is 30 s).
   */
  beat(): boolean {
    const beaten = withoutWaiting(this.db, () => this.statements.beat.run(this.id).changes > 0)
    if (beaten !== false) return true
    // Another process removed this row (this one stood still past the lease): take it back, so
    // that jobs started from now on are owned again.
    this.statements.reinsert.run(this.id, this.pid, this.host, this.shell, 0)
    return false
  }

  /**
   * The other owners that are gone. An owner seen for the first time gets a full lease from now
   * (unless its process has visibly exited), so a process that just opened the workspace never
   * takes a live one for dead.
   */
  gone(): Set<number> {
    const now = this.now()
    const gone = new Set<number>()
    const present = new Set<number>()
    for (const row of this.statements.all.all() as OwnerRow[]) {
      if (row.id === this.id) continue
      present.add(row.id)
      const seen = this.seen.get(row.id)
      if (!seen || seen.beat !== row.beat) this.seen.set(row.id, { beat: row.beat, at: now })
      const exited = row.host === this.host && !this.alive(row.pid)
      const still = now - (this.seen.get(row.id)?.at ?? now)
      if (exited || still > leaseMs) gone.add(row.id)
    }
    for (const id of this.seen.keys()) if (!present.has(id)) this.seen.delete(id)
    return gone
  }

  /** An owner's process and shell, for a message naming who holds a job. */
  describe(id: number | null): string {
    const row = id === null ? undefined : (this.statements.get.get(id) as OwnerRow | undefined)
    if (!row) return 'a process that has ended'
    const what = { electron: 'the app', serve: '`studio serve`', cli: 'a `studio` command' }
    const name = row.shell === 'test' ? 'another process' : what[row.shell]
    return `${name} (process ${row.pid}${row.host === this.host ? '' : ` on ${row.host}`})`
  }

  /** Removes the rows of owners that are gone; their jobs' owner becomes NULL. */
  forget(ids: Iterable<number>): void {
    for (const id of ids) {
      this.statements.remove.run(id)
      this.seen.delete(id)
    }
  }

  /** This process leaves: its row goes (its jobs must have ended or been handed over). */
  release(): void {
    if (this.registered) this.statements.remove.run(this.id)
  }
}

/** `write()`, or undefined where another connection holds the write lock now (no waiting). */
function withoutWaiting<T>(db: Workspace, write: () => T): T | undefined {
  const waits = db.pragma('busy_timeout', { simple: true }) as number
  db.pragma('busy_timeout = 0')
  try {
    return write()
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return undefined
    throw error
  } finally {
    db.pragma(`busy_timeout = ${waits}`)
  }
}
