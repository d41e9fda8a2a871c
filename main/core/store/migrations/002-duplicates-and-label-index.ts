// Released migration: never edit, add a new file instead.
// Duplicate detection keeps each item's content hash; the label filter needs an index.
export default /* sql */ `
ALTER TABLE items ADD COLUMN content_hash TEXT;
ALTER TABLE items ADD COLUMN duplicate_of INTEGER REFERENCES items (id) ON DELETE SET NULL;
CREATE INDEX items_label ON items (dataset_id, label, position);
-- Without it every deleted item scans the table for rows pointing at it (ON DELETE SET NULL).
CREATE INDEX items_duplicate_of ON items (duplicate_of);
`
