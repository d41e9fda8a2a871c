// Released migration: never edit, add a new file instead.
// Clusterings of a run's codes (docs/analysis.md, "Clustering"), each with its parameters, its
// assignment of every item, the names the user gives its clusters, and its metrics; and the
// sweeps over k that help choose one.
export default /* sql */ `
CREATE TABLE clusterings (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  method TEXT NOT NULL,
  params TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
  error TEXT,
  k INTEGER NOT NULL,
  assignments BLOB,
  distances BLOB,
  names TEXT,
  metrics TEXT,
  seconds REAL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX clusterings_by_run ON clusterings (run_id);
`
