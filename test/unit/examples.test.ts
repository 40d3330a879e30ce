import {readdirSync, readFileSync} from 'node:fs'
import {parse} from 'yaml'
import {describe, expect, it} from 'vitest'
import Merge from '../../src/commands/merge.js'
import Permissions from '../../src/commands/permissions.js'
import Preflight from '../../src/commands/preflight.js'
import Scan from '../../src/commands/scan.js'

const EXAMPLES = new URL('../../examples/', import.meta.url)
const COMMANDS: Record<string, {flags: Record<string, unknown>}> = {scan: Scan, merge: Merge, permissions: Permissions, preflight: Preflight}

describe('CI examples', () => {
  const files = readdirSync(EXAMPLES).filter((name) => name.endsWith('.yml'))

  it.each(files)('%s is valid YAML and uses only flags emr-audit has (or inputs the action has)', (name) => {
    const text = readFileSync(new URL(name, EXAMPLES), 'utf8')
    expect(() => parse(text)).not.toThrow()
    if (text.includes('uses: emr-audit/emr-audit@')) {
      const action = parse(readFileSync(new URL('../action.yml', EXAMPLES), 'utf8')) as {inputs: Record<string, unknown>}
      const workflow = parse(text) as {jobs: Record<string, {steps: Array<{uses?: string; with?: Record<string, unknown>}>}>}
      const steps = Object.values(workflow.jobs)
        .flatMap((job) => job.steps)
        .filter((step) => step.uses?.startsWith('emr-audit/emr-audit@'))
      expect(steps.length).toBeGreaterThan(0)
      for (const step of steps) for (const key of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs), `${name}: input ${key}`).toContain(key)
      return
    }
    const invocations = [...text.matchAll(/emr-audit (scan|merge|permissions|preflight)([^\n]*(?:\\\n[^\n]*)*)/g)]
    expect(invocations.length).toBeGreaterThan(0)
    for (const [, command = '', rest = ''] of invocations) {
      for (const [, flag = ''] of rest.matchAll(/\s--([a-z][a-z-]*)/g))
        expect(Object.keys(COMMANDS[command]?.flags ?? {}), `${name}: ${command} --${flag}`).toContain(flag)
    }
  })

  it.each(files)('%s installs emr-audit from a pinned source and sets up a current Node LTS', (name) => {
    const text = readFileSync(new URL(name, EXAMPLES), 'utf8')
    // An unpinned `npx emr-audit` runs whatever the registry serves under a name nobody has published.
    expect(text).not.toMatch(/\bnpx\b/)
    for (const [, version = ''] of text.matchAll(/node-version:\s*['"]?(\d+)/g))
      expect(Number(version), `${name}: node-version ${version}`).toBeGreaterThanOrEqual(22)
    for (const [, version = ''] of text.matchAll(/image:\s*node:(\d+)/g)) expect(Number(version), `${name}: node:${version}`).toBeGreaterThanOrEqual(22)
  })
})
