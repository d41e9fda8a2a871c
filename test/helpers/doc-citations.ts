// Finds citations of Markdown files, of their sections and, in docs, of repository paths,
// that point at nothing in the repository (docs/README.md, "Citing the docs").
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

export interface DanglingCitation {
  /** The citing file, relative to the repository root. */
  file: string
  line: number
  /** What it cites, as written. */
  cited: string
  reason: string
}

/** The folders whose files may cite docs, and the kinds of file read there. */
export const CITING_FOLDERS = ['main', 'renderer', 'preload', 'test', 'docs']
const TEXT_FILE = /\.(ts|js|mjs|cjs|vue|py|md|html|css|sh)$/

/** Every text file under the citing folders, and the root README, relative to `root`. */
export function citingFiles(root: string): string[] {
  const files = existsSync(join(root, 'README.md')) ? ['README.md'] : []
  for (const folder of CITING_FOLDERS) {
    if (!existsSync(join(root, folder))) continue
    for (const entry of readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })) {
      const path = join(folder, entry)
      if (!path.split('/').includes('node_modules') && TEXT_FILE.test(path)) files.push(path)
    }
  }
  return files
}

// a Markdown file's name or path, maybe followed by a comma and a quoted section
const MD_CITATION = /([\w./-]*\w\.md)\b(?:,? *"([^"\n]+)")?/g
// in Markdown: a link's target, and a repository path in backticks
const MD_LINK = /\]\(([^)\s]+)\)/g
const REPO_PATH = /`((?:main|renderer|preload|test|docs|resources)\/[\w./-]+)`/g

/** The headings of a Markdown file, without their #s. */
function headings(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => line.replace(/^#+ /, '').trim())
}

/** The dangling citations in one file's `text`; `file` is its path relative to `root`. */
export function danglingCitations(root: string, file: string, text: string): DanglingCitation[] {
  const found: DanglingCitation[] = []
  const here = dirname(join(root, file))
  // a relative name is looked for beside the citing file, then from the repository root
  const resolve = (cited: string): string | undefined =>
    [join(here, cited), join(root, cited)].find((path) => existsSync(path))
  text.split('\n').forEach((lineText, index) => {
    const report = (cited: string, reason: string): void => {
      found.push({ file, line: index + 1, cited, reason })
    }
    for (const [, cited, section] of lineText.matchAll(MD_CITATION)) {
      if (/^(https?:)?\/\//.test(cited) || cited.includes('://')) continue
      const path = resolve(cited)
      if (!path) report(cited, 'no such file in the repository')
      else if (section && !headings(path).includes(section))
        report(`${cited}, "${section}"`, `no heading "${section}" in ${relative(root, path)}`)
    }
    if (!file.endsWith('.md')) return
    for (const [, target] of lineText.matchAll(MD_LINK)) {
      const path = target.split('#')[0]
      if (/^[a-z]+:/.test(target) || path === '') continue
      if (!existsSync(join(here, path))) report(target, 'link to no file in the repository')
    }
    for (const [, cited] of lineText.matchAll(REPO_PATH)) {
      if (!existsSync(join(root, cited.replace(/[.,]$/, ''))))
        report(cited, 'no such path in the repository')
    }
  })
  return found
}

/** Every dangling citation in the repository at `root`. */
export function danglingCitationsIn(root: string): DanglingCitation[] {
  return citingFiles(root).flatMap((file) =>
    danglingCitations(root, file, readFileSync(join(root, file), 'utf8')),
  )
}
