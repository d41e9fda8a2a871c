// Every Markdown file, section and repository path that the code, the tests and the docs cite
// exists in the repository (docs/README.md, "Citing the docs").
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { danglingCitations, danglingCitationsIn } from '../helpers/doc-citations'
import { tempDir } from '../helpers/temp'

const root = join(import.meta.dirname, '..', '..')
// the made-up names below are spelled through md() so that the scan of this very file passes
const md = (name: string): string => `${name}.md`

describe('citations of docs', () => {
  it('point at files, sections and paths that exist in the repository', () => {
    const dangling = danglingCitationsIn(root).map(
      ({ file, line, cited, reason }) => `${file}:${line}: ${cited} (${reason})`,
    )
    expect(dangling).toEqual([])
  })

  describe('the scan', () => {
    // a small repository: a guide in docs/ with one section, and main/code.ts
    function repository(): string {
      const dir = tempDir()
      mkdirSync(join(dir, 'docs'))
      mkdirSync(join(dir, 'main'))
      writeFileSync(join(dir, 'docs', md('guide')), '# Guide\n\n## Losses\n\nText.\n')
      writeFileSync(join(dir, 'main', 'code.ts'), '')
      return dir
    }
    const cited = (dir: string, file: string, text: string): string[] =>
      danglingCitations(dir, file, text).map((citation) => citation.cited)

    it('finds a cited Markdown file that is missing, and passes one that exists', () => {
      const dir = repository()
      const text = `// see ${md('docs/guide')} and ${md('GONE')}\n// and ${md('docs/other')}`
      expect(cited(dir, 'main/code.ts', text)).toEqual([md('GONE'), md('docs/other')])
    })

    it('finds a cited section that the file does not have', () => {
      const dir = repository()
      const guide = md('docs/guide')
      const text = `// (${guide}, "Losses"); ${guide}, "Gradients"`
      expect(cited(dir, 'main/code.ts', text)).toEqual([`${guide}, "Gradients"`])
    })

    it('in docs, finds links and repository paths to nothing, relative to the doc', () => {
      const dir = repository()
      const text = `[ok](${md('guide')}#losses) [no](../main/gone.ts) \`main/code.ts\` \`main/nope.ts\``
      expect(cited(dir, md('docs/index'), text)).toEqual(['../main/gone.ts', 'main/nope.ts'])
    })

    it('leaves web addresses alone', () => {
      const dir = repository()
      const text = `https://example.org/${md('GONE')} [web](https://example.org/x)`
      expect(cited(dir, md('docs/index'), text)).toEqual([])
    })
  })
})
