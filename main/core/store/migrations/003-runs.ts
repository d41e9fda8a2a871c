// Released migration: never edit, add a new file instead.
// Training runs and everything they produce. Every table hangs off runs with ON DELETE CASCADE,
// so deleting a dataset or a run leaves nothing behind; arrays are float32/int32 BLOBs.
export default /* sql */ `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  status TEXT NOT NULL CHECK (
    status IN ('queued', 'running', 'paused', 'completed', 'failed', 'interrupted', 'cancelled')
  ),
  config TEXT NOT NULL,
  backend TEXT,
  started_at TEXT,
  finished_at TEXT,
  error TEXT,
  notes TEXT NOT NULL DEFAULT '',
  -- The training process, so a workspace that opens can tell a live run from a dead one.
  pid INTEGER,
  summary TEXT
);
CREATE INDEX runs_dataset ON runs (dataset_id);

CREATE TABLE epochs (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  train_loss REAL NOT NULL,
  val_loss REAL,
  mse REAL,
  terms TEXT NOT NULL,
  seconds REAL NOT NULL,
  samples_per_sec REAL NOT NULL,
  PRIMARY KEY (run_id, epoch)
);

CREATE TABLE checkpoints (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('last', 'best')),
  epoch INTEGER NOT NULL,
  weights BLOB NOT NULL,
  manifest TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (run_id, kind)
);

CREATE TABLE embeddings (
  run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  rows INTEGER NOT NULL,
  dims INTEGER NOT NULL,
  codes BLOB NOT NULL,
  errors BLOB NOT NULL,
  item_ids BLOB NOT NULL
);

CREATE TABLE epoch_codes (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  codes BLOB NOT NULL,
  PRIMARY KEY (run_id, epoch)
);
`
