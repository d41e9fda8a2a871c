// Released migration: never edit, add a new file instead.
// Every process that opens the workspace (the app, `studio serve`, each CLI command) is an owner
// with a heartbeat; every long job (an import, a run, a projection, a clustering) names the owner
// that started it. A process that opens the workspace recovers only the jobs whose owner is gone,
// never those another live process is working on.
export default /* sql */ `
CREATE TABLE owners (
  id INTEGER PRIMARY KEY,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  -- 'electron', 'serve', 'cli' or 'test': shown when a job is refused because another owns it
  shell TEXT NOT NULL,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  -- a counter bumped every few seconds while the process lives (owners.ts says how it is read)
  beat INTEGER NOT NULL DEFAULT 0
);
ALTER TABLE datasets ADD COLUMN owner INTEGER REFERENCES owners (id) ON DELETE SET NULL;
ALTER TABLE runs ADD COLUMN owner INTEGER REFERENCES owners (id) ON DELETE SET NULL;
ALTER TABLE projections ADD COLUMN owner INTEGER REFERENCES owners (id) ON DELETE SET NULL;
ALTER TABLE clusterings ADD COLUMN owner INTEGER REFERENCES owners (id) ON DELETE SET NULL;
`
