import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {CATALOG_IDS} from '../fixtures/catalog.js'
import {emulatorEnv, runCli} from './cli.js'
import {freePort} from './moto.js'

let dir: string
let closedEndpoint: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-bad-'))
  // A loopback port nothing listens on: any call that escapes validation fails fast and stays local.
  closedEndpoint = `http://127.0.0.1:${await freePort()}`
  await writeFile(join(dir, 'syntax.yaml'), 'regions: [us-east-1\nruntimeRoles: [a]\n')
  await writeFile(join(dir, 'unknown-key.yaml'), 'regions: [us-east-1]\nstudio: []\n')
  await writeFile(join(dir, 'wrong-type.json'), '{"runtimeRoles": "just-one"}')
  await writeFile(join(dir, 'not-inventory.json'), '{"hello": "world"}')
  await writeFile(join(dir, 'truncated.json'), '{"schemaVersion": 1, "tool": {')
  await writeFile(join(dir, 'v99.json'), '{"schemaVersion": 99}')
  await writeFile(join(dir, 'bad-plan.json'), '{"schemaVersion": 2, "account": "123456789012", "changes": [{"kind": "delete-everything"}]}')
  await writeFile(join(dir, 'plan-v1.json'), '{"schemaVersion": 1, "account": "123456789012", "changes": []}')
  await writeFile(join(dir, 'journal-v9.json'), '{"schemaVersion": 9, "entries": []}')
  await writeFile(join(dir, 'journal-v1.json'), '{"schemaVersion": 1, "entries": []}')
})

/** Every bad input: exit 2, exactly one line on stderr that names the problem, no stack trace, nothing on stdout. */
async function expectUsageError(args: string[], message: RegExp, env = emulatorEnv(closedEndpoint)): Promise<void> {
  const result = await runCli(args, env)
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr).toMatch(message)
  expect(result.stderr).not.toMatch(/^\s+at /m)
}

describe('bad input gets one clear line and exit 2', () => {
  it('a missing config file', () =>
    expectUsageError(['scan', '--config', join(dir, 'nope.yaml')], /^emr-audit: cannot read config file .*nope\.yaml: ENOENT\n$/))
  it('YAML syntax, with the line', () =>
    expectUsageError(['scan', '--config', join(dir, 'syntax.yaml')], /^emr-audit: .*syntax\.yaml: line \d+, column \d+: .+\n$/))
  it('an unknown key, named', () =>
    expectUsageError(['scan', '--config', join(dir, 'unknown-key.yaml')], /^emr-audit: .*unknown-key\.yaml: unknown key 'studio'\n$/))
  it('a wrong type, named', () =>
    expectUsageError(['scan', '--config', join(dir, 'wrong-type.json')], /^emr-audit: .*wrong-type\.json: runtimeRoles: expected array\n$/))
  it('an unknown region', () => expectUsageError(['scan', '--region', 'us-nowhere'], /^emr-audit: --region: 'us-nowhere' is not an AWS region/))
  it('a bad --format', () => expectUsageError(['scan', '--format', 'xml'], /Expected --format=xml to be one of: table, json/))
  it('a bad --fail-on', () => expectUsageError(['scan', '--fail-on', 'severe'], /Expected --fail-on=severe to be one of/))
  it('conflicting flags', () =>
    expectUsageError(
      ['scan', '--inventory', 'x.json', '--region', 'us-east-1'],
      /--region=us-east-1 cannot also be provided when using --inventory|cannot also be provided/,
    ))
  it('an inventory that is not one', () =>
    expectUsageError(['scan', '--inventory', join(dir, 'not-inventory.json')], /unsupported inventory schemaVersion undefined/))
  it('a truncated inventory', () => expectUsageError(['scan', '--inventory', join(dir, 'truncated.json')], /truncated\.json: not valid JSON/))
  it('an inventory from a future version', () => expectUsageError(['scan', '--inventory', join(dir, 'v99.json')], /unsupported inventory schemaVersion 99/))
  it('a missing inventory file', () => expectUsageError(['scan', '--inventory', join(dir, 'absent.json')], /cannot read inventory file .*ENOENT/))

  it('fix: an unknown rule in --only', () =>
    expectUsageError(['fix', '--only', 'EMR-NOPE-001', '--region', 'us-east-1'], /^emr-audit: --only: unknown rule 'EMR-NOPE-001' \(see emr-audit rules\)\n$/))
  it('fix: --journal without --apply', () =>
    expectUsageError(['fix', '--journal', 'j.json', '--region', 'us-east-1'], /^emr-audit: --journal is only used with --apply\n$/))
  it('fix: --apply off a terminal without --yes, before any call', () =>
    expectUsageError(['fix', '--apply', '--region', 'us-east-1'], /^emr-audit: --apply without a terminal needs --yes \(nothing was changed\)\n$/))
  it('fix: --apply with a saved inventory', () =>
    expectUsageError(
      ['fix', '--apply', '--yes', '--inventory', join(dir, 'v99.json')],
      /cannot also be provided when using --inventory|--inventory=.* cannot also be provided/,
    ))
  it('fix: a plan that is not valid, shown or applied', async () => {
    await expectUsageError(['fix', '--plan', join(dir, 'bad-plan.json')], /^emr-audit: .*bad-plan\.json: invalid plan at /)
    await expectUsageError(['fix', '--apply', '--yes', '--plan', join(dir, 'bad-plan.json')], /^emr-audit: .*bad-plan\.json: invalid plan at /)
  })
  it('fix: --max-changes below 1', () =>
    expectUsageError(['fix', '--max-changes', '0', '--region', 'us-east-1'], /Expected an integer greater than or equal to 1/))
  it('rollback: a missing journal', () =>
    expectUsageError(['rollback', join(dir, 'absent-journal.json'), '--yes'], /^emr-audit: cannot read journal .*absent-journal\.json: ENOENT\n$/))
  it('fix: a plan an older emr-audit made', () =>
    expectUsageError(
      ['fix', '--apply', '--yes', '--plan', join(dir, 'plan-v1.json')],
      /^emr-audit: .*plan-v1\.json: this plan was made by an older emr-audit \(schemaVersion 1; this emr-audit reads version 2\); re-plan with this emr-audit/,
    ))
  it('rollback: a journal from a newer version', () =>
    expectUsageError(['rollback', join(dir, 'journal-v9.json'), '--yes'], /not an emr-audit journal \(schemaVersion 9; this emr-audit reads version 2\)/))
  it('rollback: a journal an older emr-audit wrote', () =>
    expectUsageError(
      ['rollback', join(dir, 'journal-v1.json'), '--yes'],
      /this journal was made by an older emr-audit \(schemaVersion 1; this emr-audit reads version 2\); roll it back with the emr-audit version that wrote it\n$/,
    ))
  it('rollback: off a terminal without --yes', () =>
    expectUsageError(['rollback', join(dir, 'journal-v9.json')], /^emr-audit: rollback without a terminal needs --yes \(nothing was changed\)\n$/))
  it('permissions: an account id that is not one', () =>
    expectUsageError(['permissions', '--fix', '--account-id', '12345'], /^emr-audit: --account-id: '12345' is not a 12-digit AWS account id\n$/))
  it('no credentials at all', () => {
    const env = emulatorEnv(closedEndpoint)
    delete env['AWS_ACCESS_KEY_ID']
    delete env['AWS_SECRET_ACCESS_KEY']
    return expectUsageError(
      ['scan', '--region', 'us-east-1'],
      /^emr-audit: no AWS credentials could be loaded \(Could not load credentials from any providers\); nothing was sent to AWS\n$/,
      env,
    )
  })

  it('no region anywhere', () => expectUsageError(['scan'], /^emr-audit: no region: pass --region, set regions in the config file, or set AWS_REGION\n$/))

  it('an endpoint that cannot be reached, after retries, without hanging', () =>
    expectUsageError(
      ['scan', '--region', 'us-east-1'],
      /^emr-audit: cannot identify the AWS account \(sts:GetCallerIdentity\): cannot reach the endpoint \(ECONNREFUSED\)\n$/,
    ))

  it('--debug adds the stack trace', async () => {
    const result = await runCli(['scan', '--config', join(dir, 'unknown-key.yaml'), '--debug'], emulatorEnv(closedEndpoint))
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^\s+at /m)
  })
})

describe('help', () => {
  it('scan --help shows examples and the exit codes', async () => {
    const result = await runCli(['scan', '--help'], emulatorEnv(closedEndpoint))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('EXAMPLES')
    expect(result.stdout).toContain('--save-inventory')
    expect(result.stdout).toMatch(/3 +nothing failing at or above --fail-on, but the scan was incomplete/)
  })
})

describe('emr-audit rules', () => {
  it('lists every catalog rule, explains one, and rejects an unknown id', async () => {
    const env = emulatorEnv(closedEndpoint)
    const list = await runCli(['rules', '--json'], env)
    expect(list.code).toBe(0)
    const rules = JSON.parse(list.stdout) as Array<{id: string; remediation: {autoApply: string}}>
    expect(rules.map((rule) => rule.id)).toEqual(CATALOG_IDS)
    const explained = await runCli(['rules', 'emr-passrole-001'], env)
    expect(explained.stdout).toMatch(/^EMR-PASSROLE-001 — Service role can pass/)
    expect(explained.stdout).toContain('Auto-apply:  guarded')
    const unknown = await runCli(['rules', 'EMR-NOPE-999'], env)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe('emr-audit: no rule EMR-NOPE-999; run `emr-audit rules` for the list\n')
  })
  it('lists the compliance mapping of a framework by its short name, and rejects an unknown one', async () => {
    const env = emulatorEnv(closedEndpoint)
    const mapping = await runCli(['rules', '--compliance', 'fsbp', '--json'], env)
    expect(mapping.code).toBe(0)
    expect(JSON.parse(mapping.stdout)).toContainEqual({framework: 'AWS-FSBP', control: 'EMR.1', rules: ['EMR-CLUSTER-004']})
    const explained = await runCli(['rules', 'EMR-CLUSTER-004'], env)
    expect(explained.stdout).toContain('Compliance:  AWS-FSBP: EMR.1')
    const unknown = await runCli(['rules', '--compliance', 'PCI'], env)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe('emr-audit: --compliance: no framework PCI (use one of AWS-FSBP, NIST-800-53-r5)\n')
  })
})
