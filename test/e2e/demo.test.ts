/**
 * The first five minutes: the bundled demo works with no AWS account, credentials or network, and the
 * CLI behaves as people expect (a suggestion for a mistyped command, shell completion, --version).
 */
import {existsSync} from 'node:fs'
import {mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {runCli} from './cli.js'
import {onTerminal} from './terminal.js'

/** Nothing but a PATH: no credentials, no region, no config files, and no endpoint anyone listens on. */
const bare = {
  PATH: process.env['PATH'],
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  NO_COLOR: '1',
}

describe('the demo, offline', () => {
  it('scan --demo shows the planted mistakes with no credentials, no region and no network', async () => {
    const started = Date.now()
    const result = await runCli(['scan', '--demo'], bare)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/^emr-audit .* · account 123456789012 \(aws\) · us-east-1 · .* · from .*examples\/demo\/inventory\.json/)
    for (const ruleId of ['EMR-PROFILE-001', 'EMR-PASSROLE-001', 'EMR-TAG-001', 'EMR-STUDIO-003', 'EMR-RUNTIME-002', 'EMR-CLUSTER-001'])
      expect(result.stdout).toContain(ruleId)
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it('fix --demo shows the plan for it, and cannot be combined with --apply', async () => {
    const plan = await runCli(['fix', '--demo'], bare)
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain('dry run: nothing is changed')
    expect(plan.stdout).toMatch(/\[apply\] Create instance profile analytics-ec2 holding role analytics-ec2/)
    expect(plan.stdout).toMatch(/\[apply\] Tag secret emr-studio-analytics-git/)
    const apply = await runCli(['fix', '--demo', '--apply', '--yes'], bare)
    expect(apply.code).toBe(2)
    expect(apply.stderr).toMatch(/--apply=true cannot also be provided when using --demo|cannot also be provided/)
  })
})

describe('reports named by their files', () => {
  it('--output FILE takes the format from the ending and creates missing folders; an unknown ending is exit 2 before any work', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emr-audit-demo-out-'))
    const paths = {
      json: join(dir, 'reports', 'r.json'),
      csv: join(dir, 'reports', 'sheets', 'r.csv'),
      asff: join(dir, 'r.asff.json'),
      ocsf: join(dir, 'r.ocsf.json'),
    }
    const result = await runCli(['scan', '--demo', ...Object.values(paths).flatMap((path) => ['--output', path])], bare)
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    const report = JSON.parse(await readFile(paths.json, 'utf8')) as {findings: Array<{fingerprint: string}>}
    const csvRows = (await readFile(paths.csv, 'utf8')).trimEnd().split('\r\n')
    const asff = JSON.parse(await readFile(paths.asff, 'utf8')) as Array<{Id: string}>
    const ocsf = JSON.parse(await readFile(paths.ocsf, 'utf8')) as Array<{finding_info: {uid: string}}>
    const fingerprints = report.findings.map((finding) => finding.fingerprint)
    expect(csvRows).toHaveLength(fingerprints.length + 1)
    expect(asff.map((entry) => entry.Id)).toEqual(fingerprints.map((fingerprint) => `emr-audit/${fingerprint}`))
    expect(ocsf.map((entry) => entry.finding_info.uid)).toEqual(fingerprints)

    const unknown = await runCli(['scan', '--demo', '--output', join(dir, 'r.txt')], bare)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('cannot tell the format from the file name')
    expect(existsSync(join(dir, 'r.txt'))).toBe(false)
  })
})

describe('what people expect of a CLI', () => {
  it('a mistyped command says so, names the help, and exits 127 off a terminal', async () => {
    const result = await runCli(['scna'], bare)
    expect(result.code).toBe(127)
    expect(result.stderr).toContain('scna is not a emr-audit command')
  })

  it('on a terminal, a mistyped command suggests the right one', async () => {
    const {output} = await onTerminal([process.execPath, fileURLToPath(new URL('../../bin/run.js', import.meta.url)), 'scna'], {
      prompt: '(Y/n)',
      answer: 'n',
      env: bare,
      timeout: 30_000,
    })
    expect(output).toMatch(/Did you mean .*scan.*\?/)
  })

  it('shell completion and --version are there', async () => {
    const completion = await runCli(['autocomplete', 'bash'], bare)
    expect(completion.code).toBe(0)
    expect(completion.stdout).toMatch(/emr-audit/)
    const version = await runCli(['--version'], bare)
    expect(version.stdout).toMatch(/^emr-audit\/\d+\.\d+\.\d+ /)
  })
})
