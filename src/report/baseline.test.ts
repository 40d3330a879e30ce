import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {finding} from '../../test/fixtures/report.js'
import {applyBaseline} from '../findings/suppressions.js'
import {readBaselineFingerprints} from './baseline.js'
import {buildReport, exitCodeFor} from './model.js'
import {renderJson} from './json.js'
import {emptyInventory} from '../../test/fixtures/inventory.js'

const dir = await mkdtemp(join(tmpdir(), 'emr-audit-baseline-'))

async function baselineFile(name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text, 'utf8')
  return path
}

describe('baselines hold failures only', () => {
  const trust = (status: 'pass' | 'fail' | 'unknown' | 'suppressed') => finding('EMR-TRUST-005', 'critical', status, 'etl-runtime')
  const known = finding('EMR-PROFILE-001', 'critical', 'fail', 'ec2-a')

  it.each(['pass', 'unknown', 'suppressed'] as const)('a check that was %s in the baseline and fails now is new, and fails the run', async (before) => {
    const previous = buildReport(emptyInventory(), [known, trust(before)], {includePassed: true})
    const path = await baselineFile(`${before}.json`, renderJson(previous))
    const now = applyBaseline([known, trust('fail')], await readBaselineFingerprints(path))
    expect(now.map((entry) => entry.baseline)).toEqual(['existing', 'new'])
    expect(exitCodeFor(buildReport(emptyInventory(), now, {includePassed: false, baselineSource: path}), 'critical')).toBe(1)
  })

  it('a failure that was already in the baseline stays existing', async () => {
    const path = await baselineFile('fail.json', renderJson(buildReport(emptyInventory(), [known, trust('fail')], {includePassed: true})))
    const now = applyBaseline([known, trust('fail')], await readBaselineFingerprints(path))
    expect(now.map((entry) => entry.baseline)).toEqual(['existing', 'existing'])
    expect(exitCodeFor(buildReport(emptyInventory(), now, {includePassed: false}), 'critical')).toBe(0)
  })

  it('a finding without a valid status is an error, not a silent failure or pass', async () => {
    const report = JSON.parse(renderJson(buildReport(emptyInventory(), [known], {includePassed: false}))) as {findings: Array<Record<string, unknown>>}
    delete report.findings[0]?.['status']
    await expect(readBaselineFingerprints(await baselineFile('no-status.json', JSON.stringify(report)))).rejects.toThrow('findings[0] has no valid status')
  })

  it('a baseline saved with a byte-order mark is read', async () => {
    const path = await baselineFile('bom.json', `\uFEFF${renderJson(buildReport(emptyInventory(), [known], {includePassed: false}))}`)
    expect([...(await readBaselineFingerprints(path))]).toEqual([known.fingerprint])
  })
})
