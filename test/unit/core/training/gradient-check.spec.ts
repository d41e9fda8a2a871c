// The gradient check as a user runs it: through the contract, for each variant's objective.
import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../../../main/core/dispatch'
import { Studio } from '../../../../main/core/service'
import type { GradientCheckReport } from '../../../../main/core/shared/runs'
import { variantDefaults, variants } from '../../../../main/core/shared/train-config'

const dir = mkdtempSync(join(tmpdir(), 'studio-gradcheck-'))
const studio = new Studio({
  workspaceFile: join(dir, 'workspace.sqlite'),
  resourcesDir: join(import.meta.dirname, '..', '..', '..', '..', 'resources'),
  shell: 'test',
  version: 'test',
})
afterAll(() => {
  studio.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('training.gradientCheck', () => {
  for (const variant of variants)
    it(`passes for the ${variant} objective on a tiny model of the config's shape`, async () => {
      const outcome = await dispatch(studio.handlers, 'training.gradientCheck', {
        config: { hidden: [64, 32], activation: 'tanh', ...variantDefaults(variant) },
      })
      expect(outcome.ok).toBe(true)
      const report = (outcome as { result: GradientCheckReport }).result
      expect(report.model).toBe('12-6-6-3')
      expect(report.checked).toBeGreaterThan(50)
      expect(report.passed, JSON.stringify(report.worst)).toBe(true)
    })
})
