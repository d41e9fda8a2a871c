// How a scatter's legend names the folders of a dataset's items (datasets-store.ts's facets).
/**
 * Folders as a user reads them in a legend: relative to the folder they all share ("cats",
 * "cats/small"), where an import's absolute paths would all begin the same; a folder that is that
 * shared folder itself, or the only one, goes by its own name.
 */
export function readableFolderNames(folders: readonly string[]): string[] {
  const split = folders.map((folder) => folder.split(/[\\/]/))
  let shared = split[0]?.length ?? 0
  for (const parts of split) {
    let i = 0
    while (i < shared && i < parts.length && parts[i] === split[0][i]) i++
    shared = i
  }
  return split.map((parts, f) =>
    parts.length > shared ? parts.slice(shared).join('/') : parts.at(-1) || folders[f],
  )
}
