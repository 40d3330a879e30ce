/** `merge` in-process: reports combined, overlaps warned about or refused, bad input refused with exit 2. */
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCommand} from '../../test/fixtures/run-command.js'
import Merge from './merge.js'
import Scan from './scan.js'

let dir: string
let demoReport: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-merge-command-'))
  demoReport = join(dir, 'demo.json')
  await runCommand(Scan, ['--demo', '--format', 'json', '--output', demoReport])
  await writeFile(join(dir, 'not-a-report.json'), '{"hello": "world"}')
})

describe('merge', () => {
  it('two reports of one account and region: merged with a warning, exit as scan judges it', async () => {
    const result = await runCommand(Merge, [demoReport, demoReport])
    // The demo has failing findings at high and above (scan --demo exits 1): so has their merge.
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `emr-audit: warning: ${demoReport} and ${demoReport} both cover account 123456789012 in us-east-1; their findings are merged, the most severe status winning\n`,
    )
    expect(JSON.parse(result.stdout)).toHaveProperty('findings')
  })

  it('--fail-on-overlap makes that overlap exit 2', async () => {
    const result = await runCommand(Merge, [demoReport, demoReport, '--fail-on-overlap'])
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `emr-audit: ${demoReport} and ${demoReport} both cover account 123456789012 in us-east-1 (--fail-on-overlap)\n`,
    })
  })

  it('one report is not a merge', async () => {
    expect(await runCommand(Merge, [demoReport])).toMatchObject({code: 2, stdout: '', stderr: 'emr-audit: merge needs at least two reports\n'})
  })

  it('a report that does not exist', async () => {
    const missing = join(dir, 'absent.json')
    expect(await runCommand(Merge, [demoReport, missing])).toMatchObject({code: 2, stdout: '', stderr: `emr-audit: cannot read report ${missing}: ENOENT\n`})
  })

  it('a file that is not a report, named', async () => {
    const result = await runCommand(Merge, [demoReport, join(dir, 'not-a-report.json')])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^emr-audit: .*not-a-report\.json: not an emr-audit JSON report \(.*\)\n$/)
  })

  it.each([
    [['a.json', 'b.json', '--format', 'xml'], /^Expected --format=xml to be one of: table, json, sarif, junit, markdown/],
    [['a.json', 'b.json', '--fail-on', 'severe'], /^Expected --fail-on=severe to be one of: critical, high, medium, low, info/],
    [[], /Missing 1 required arg:\s+reports/],
  ])('oclif refuses %j', async (argv, message) => {
    const result = await runCommand(Merge, argv)
    expect(result.code).toBe(2)
    expect(result.oclifMessage).toMatch(message)
  })
})
