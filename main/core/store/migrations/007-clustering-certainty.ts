// Released migration: never edit, add a new file instead.
// How sure a clustering is of each item, for the methods that can say (N2D: how far its runs
// agree), beside the distances every method has.
export default /* sql */ `
ALTER TABLE clusterings ADD COLUMN certainty BLOB;
`
