/**
 * `fix` in-process: the plan for the demo, and every refusal `fix --help` documents (exit 2, nothing
 * changed), made before any scan or AWS call.
 */
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCommand} from '../../test/fixtures/run-command.js'
import Fix from './fix.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-fix-command-'))
})

describe('fix: flags reach the flow', () => {
  it('--demo --format json prints the plan (a dry run) and exits 0', async () => {
    const result = await runCommand(Fix, ['--demo', '--format', 'json'])
    expect(result.code).toBe(0)
    const plan = JSON.parse(result.stdout) as {schemaVersion: number; account: string; changes: unknown[]}
    expect(plan).toMatchObject({schemaVersion: 2, account: '123456789012'})
    expect(plan.changes.length).toBeGreaterThan(0)
  })

  it('--only keeps the changes of that rule', async () => {
    const result = await runCommand(Fix, ['--demo', '--format', 'json', '--only', 'EMR-TAG-001'])
    const plan = JSON.parse(result.stdout) as {changes: Array<{ruleIds: string[]}>}
    expect(plan.changes.length).toBeGreaterThan(0)
    expect(new Set(plan.changes.flatMap((change) => change.ruleIds))).toEqual(new Set(['EMR-TAG-001']))
  })
})

describe('fix: refusals are exit 2 with one line, before any call', () => {
  it.each([
    [['--only', 'EMR-NOPE-001', '--region', 'us-east-1'], "emr-audit: --only: unknown rule 'EMR-NOPE-001' (see emr-audit rules)\n"],
    [['--journal', 'j.json', '--region', 'us-east-1'], 'emr-audit: --journal is only used with --apply\n'],
    // The test runner has no terminal, as CI has none.
    [['--apply', '--region', 'us-east-1'], 'emr-audit: --apply without a terminal needs --yes (nothing was changed)\n'],
    [
      ['--plan', 'plan.json', '--checks', 'EMR-TAG-*'],
      'emr-audit: --plan applies a saved plan exactly as reviewed: --checks, --exclude-checks, --groups and --severity do not apply to it\n',
    ],
  ])('%j', async (argv, stderr) => {
    expect(await runCommand(Fix, argv)).toMatchObject({code: 2, stdout: '', stderr})
  })

  it.each([
    [['--format', 'sarif'], /^Expected --format=sarif to be one of: table, json/],
    [['--max-changes', '0'], /Expected an integer greater than or equal to 1 but received: 0/],
    [['--apply', '--yes', '--inventory', 'inventory.json'], /cannot also be provided when using --inventory/],
    [['--demo', '--plan', 'plan.json'], /cannot also be provided when using --demo/],
    [['--plan', 'plan.json', '--only', 'EMR-TAG-001'], /cannot also be provided when using --plan/],
  ])('oclif refuses %j', async (argv, message) => {
    const result = await runCommand(Fix, argv)
    expect(result.code).toBe(2)
    expect(result.oclifMessage).toMatch(message)
  })

  it('a missing plan file', async () => {
    const result = await runCommand(Fix, ['--plan', join(dir, 'absent.json')])
    expect(result).toMatchObject({code: 2, stdout: ''})
    expect(result.stderr).toMatch(/^emr-audit: cannot read plan .*absent\.json: ENOENT\n$/)
  })

  it('a plan that is not one, shown or applied', async () => {
    await writeFile(join(dir, 'bad-plan.json'), '{"schemaVersion": 2, "account": "123456789012", "changes": [{"kind": "delete-everything"}]}')
    for (const argv of [
      ['--plan', join(dir, 'bad-plan.json')],
      ['--apply', '--yes', '--plan', join(dir, 'bad-plan.json')],
    ]) {
      const result = await runCommand(Fix, argv)
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/^emr-audit: .*bad-plan\.json: invalid plan at .*\n$/)
    }
  })

  it('the plan written over the plan it came from', async () => {
    await writeFile(join(dir, 'reviewed.json'), '{}')
    const result = await runCommand(Fix, ['--plan', join(dir, 'reviewed.json'), '--output', join(dir, 'reviewed.json')])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^emr-audit: .*reviewed\.json.*\n$/)
  })
})
