/**
 * `scan` in-process: flags parsed into the flow, and every error path's message and exit code as
 * `scan --help` documents them (0 clean, 1 failing findings, 2 bad usage, 3 incomplete). The demo's
 * failing findings are the committed list in examples/demo/expected-findings.json.
 */
import {readFileSync} from 'node:fs'
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCommand} from '../../test/fixtures/run-command.js'
import Scan from './scan.js'

const expectedFailing = JSON.parse(readFileSync(new URL('../../examples/demo/expected-findings.json', import.meta.url), 'utf8')) as string[]

interface Report {
  findings: Array<{ruleId: string; status: string; severity: string; resource: {id: string}}>
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-scan-command-'))
})

describe('scan: flags reach the flow', () => {
  it('--demo --format json prints the demo report and exits 1 for its failing findings', async () => {
    const result = await runCommand(Scan, ['--demo', '--format', 'json'])
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as Report
    const failing = report.findings.filter((finding) => finding.status === 'fail').map((finding) => `${finding.ruleId} ${finding.resource.id}`)
    expect(failing.sort()).toEqual([...expectedFailing].sort())
  })

  it('--checks selects the rules evaluated, and a clean selection exits 0', async () => {
    const profile = await runCommand(Scan, ['--demo', '--format', 'json', '--checks', 'EMR-PROFILE-001'])
    expect(profile.code).toBe(1)
    expect((JSON.parse(profile.stdout) as Report).findings.map((finding) => `${finding.ruleId} ${finding.resource.id}`)).toEqual(
      expectedFailing.filter((entry) => entry.startsWith('EMR-PROFILE-001 ')),
    )
    const notFailingInTheDemo = 'EMR-ROLE-001'
    expect(expectedFailing.some((entry) => entry.startsWith(`${notFailingInTheDemo} `))).toBe(false)
    const clean = await runCommand(Scan, ['--demo', '--format', 'json', '--checks', notFailingInTheDemo])
    expect(clean.code).toBe(0)
  })

  it('--fail-on sets the lowest severity that fails the run', async () => {
    // EMR-TAG-003 is high in the catalog (REQUIREMENTS.md) and fails three times in the demo.
    const aboveIt = await runCommand(Scan, ['--demo', '--format', 'json', '--checks', 'EMR-TAG-003', '--fail-on', 'critical'])
    expect((JSON.parse(aboveIt.stdout) as Report).findings.map((finding) => finding.severity)).toEqual(['high', 'high', 'high'])
    expect(aboveIt.code).toBe(0)
    const atIt = await runCommand(Scan, ['--demo', '--format', 'json', '--checks', 'EMR-TAG-003', '--fail-on', 'high'])
    expect(atIt.code).toBe(1)
  })

  it('--output FORMAT=FILE writes each format, and nothing on stdout', async () => {
    const sarif = join(dir, 'demo.sarif')
    const json = join(dir, 'demo.json')
    const result = await runCommand(Scan, ['--demo', '--output', `sarif=${sarif}`, '--output', `json=${json}`])
    expect(result.stdout).toBe('')
    expect(JSON.parse(await readFile(sarif, 'utf8'))).toMatchObject({version: '2.1.0'})
    expect((JSON.parse(await readFile(json, 'utf8')) as Report).findings.length).toBeGreaterThan(0)
  })
})

describe('scan: bad usage is exit 2 with one line naming the problem', () => {
  it.each([
    [['--format', 'xml'], /^Expected --format=xml to be one of: table, json, sarif, junit, markdown/],
    [['--fail-on', 'severe'], /^Expected --fail-on=severe to be one of: critical, high, medium, low, info/],
    [['--concurrency', '0'], /Expected an integer greater than or equal to 1 but received: 0/],
    [['--inventory', 'x.json', '--region', 'us-east-1'], /--region=us-east-1 cannot also be provided when using --inventory/],
    [['--demo', '--config', 'x.yaml'], /cannot also be provided when using --demo/],
    [['--accounts', '111111111111', '--organization'], /cannot also be provided when using/],
  ])('oclif refuses %j', async (argv, message) => {
    const result = await runCommand(Scan, argv)
    expect(result.code).toBe(2)
    expect(result.oclifMessage).toMatch(message)
    expect(result.stdout).toBe('')
  })

  it('a missing inventory file', async () => {
    const result = await runCommand(Scan, ['--inventory', join(dir, 'absent.json')])
    expect(result).toMatchObject({code: 2, stdout: '', stderr: `emr-audit: cannot read inventory file ${join(dir, 'absent.json')}: ENOENT\n`})
  })

  it('a missing config file, with its stack trace under --debug only', async () => {
    const plain = await runCommand(Scan, ['--config', join(dir, 'absent.yaml')])
    expect(plain).toMatchObject({code: 2, stderr: `emr-audit: cannot read config file ${join(dir, 'absent.yaml')}: ENOENT\n`})
    const debug = await runCommand(Scan, ['--config', join(dir, 'absent.yaml'), '--debug'])
    expect(debug.code).toBe(2)
    expect(debug.stderr).toMatch(/^UserInputError: cannot read config file .*\n\s+at /)
    expect(debug.stderr.endsWith(`emr-audit: cannot read config file ${join(dir, 'absent.yaml')}: ENOENT\n`)).toBe(true)
  })

  it('an unknown format in --output FORMAT=FILE', async () => {
    const result = await runCommand(Scan, ['--demo', '--output', `xml=${join(dir, 'x.xml')}`])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^emr-audit: --output xml=.*: unknown format 'xml'/)
  })

  it('two outputs to one file, before anything is read', async () => {
    const same = join(dir, 'same.json')
    const result = await runCommand(Scan, ['--demo', '--output', `sarif=${same}`, '--output', `json=${same}`])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^emr-audit: .*same\.json.*\n$/)
  })

  it('an unknown check in --checks', async () => {
    const result = await runCommand(Scan, ['--demo', '--checks', 'EMR-NOPE-001'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^emr-audit: --checks: .*EMR-NOPE-001/)
  })

  it('an accounts file that does not exist', async () => {
    const result = await runCommand(Scan, ['--assume-role', 'Audit', '--accounts-file', join(dir, 'absent.txt'), '--region', 'us-east-1'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^emr-audit: .*absent\.txt.*\n$/)
  })

  it('a baseline that is not a report', async () => {
    await writeFile(join(dir, 'not-a-report.json'), '{"hello": "world"}')
    const result = await runCommand(Scan, ['--demo', '--baseline', join(dir, 'not-a-report.json')])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^emr-audit: .*not-a-report\.json.*\n$/)
  })
})
