// Released migration: never edit, add a new file instead.
export default /* sql */ `
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  status TEXT NOT NULL CHECK (status IN ('importing', 'ready')),
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  channels TEXT NOT NULL CHECK (channels IN ('grey', 'rgb')),
  fit TEXT NOT NULL,
  options TEXT NOT NULL,
  sources TEXT NOT NULL
);

CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  label TEXT,
  pixels BLOB NOT NULL,
  UNIQUE (dataset_id, position)
);

CREATE TABLE skipped (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX skipped_dataset ON skipped (dataset_id);
`
