// Released migration: never edit, add a new file instead.
// PCA and UMAP layouts of a run's codes or a dataset's pixels, cached per (data, parameters):
// UMAP of 70,000 images takes a minute, so a layout is computed once and reopened instantly.
export default /* sql */ `
CREATE TABLE projections (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  space TEXT NOT NULL CHECK (space IN ('latent', 'raw')),
  method TEXT NOT NULL CHECK (method IN ('pca', 'umap')),
  params TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
  error TEXT,
  dims INTEGER NOT NULL,
  rows INTEGER,
  coords BLOB,
  quality TEXT,
  seconds REAL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX projections_by_source ON projections (dataset_id, run_id, space, method);
`
