import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {finding} from '../../test/fixtures/report.js'
import {applyBaseline} from '../findings/suppressions.js'
import {readBaselineFingerprints} from './baseline.js'
import {buildReport, exitCodeFor} from './model.js'
import {renderJson} from './json.js'
import {allowService, cluster, doc, emptyInventory, role, withRoles} from '../../test/fixtures/inventory.js'
import {arnOf, withAwsManaged} from '../../test/fixtures/managed-policies.js'
import {analyze, fingerprintOf} from '../app/analyze.js'
import {UserInputError} from '../shared/errors.js'
import passrole001 from '../rules/passrole/emr-passrole-001.js'

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

describe('a baseline saved by an earlier version keeps matching', () => {
  // Literal values, computed outside the code (`printf '%s' KEY | sha256sum | cut -c1-32`): a change to the
  // fingerprint's key or separator would make every saved baseline silently stop matching, so it must fail here.
  const pinned = {
    passrole: '281338fc77db9d84f3c60197257b2f85', // EMR-PASSROLE-001|123456789012|arn:aws:iam::123456789012:role/svc|custom-ec2@ec2.amazonaws.com
    atRest: 'f644e820a07a807388564abe651a0a59', // EMR-SECCFG-001|123456789012|emr-security-configuration:us-east-1:at-rest|
    piped: 'd7da43b5fee1454fc5bf2a24da185563', // ["EMR-SECCFG-001","123456789012","emr-security-configuration:us-east-1:a|b",""]
  }
  const configuration = (name: string) => ({type: 'emr-security-configuration' as const, id: name, name, region: 'us-east-1'})

  it('fingerprints are the literal values earlier versions wrote', () => {
    expect(
      fingerprintOf(
        'EMR-PASSROLE-001',
        '123456789012',
        {type: 'iam-role', id: 'svc', name: 'svc', arn: 'arn:aws:iam::123456789012:role/svc'},
        'custom-ec2@ec2.amazonaws.com',
      ),
    ).toBe(pinned.passrole)
    expect(fingerprintOf('EMR-SECCFG-001', '123456789012', configuration('at-rest'))).toBe(pinned.atRest)
    expect(fingerprintOf('EMR-SECCFG-001', '123456789012', configuration('a|b'))).toBe(pinned.piped)
  })

  it('a failure found now is "existing" against a hand-written baseline holding its pinned fingerprint', async () => {
    const saved = {schemaVersion: 1, findings: [{ruleId: 'EMR-PASSROLE-001', status: 'fail', fingerprint: pinned.passrole}]}
    const path = await baselineFile('pinned.json', JSON.stringify(saved))
    const inventory = withAwsManaged(
      withRoles(
        emptyInventory(),
        role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [arnOf('AmazonEMRServicePolicy_v2')]}),
        role({name: 'custom-ec2', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'custom-ec2'}]}),
      ),
      'AmazonEMRServicePolicy_v2',
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc', instanceProfile: 'custom-ec2'}))
    const found = analyze(inventory, {config: {}, rules: [passrole001]})
    expect(applyBaseline(found, await readBaselineFingerprints(path)).map((entry) => [entry.status, entry.baseline])).toEqual([['fail', 'existing']])
  })
})

describe('a file that is not an emr-audit JSON report is an error, never an empty baseline', () => {
  const valid = '0123456789abcdef0123456789abcdef'
  const report = (findings: unknown[], schemaVersion: unknown = 1) => JSON.stringify({schemaVersion, findings})

  it('a missing file names the path and the reason', async () => {
    const path = join(dir, 'never-written.json')
    await expect(readBaselineFingerprints(path)).rejects.toThrow(new UserInputError(`cannot read baseline ${path}: ENOENT`))
  })

  it('text that is not JSON', async () => {
    await expect(readBaselineFingerprints(await baselineFile('not-json.json', '{"schemaVersion": 1,'))).rejects.toThrow(
      /^baseline .*not-json\.json: not valid JSON \(.+\)$/,
    )
  })

  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"findings"'],
    ['an array', `[${report([])}]`],
    ['a report of another schema version', report([], 2)],
    ['a report with no schema version', JSON.stringify({findings: []})],
    ['a report whose findings are not a list', JSON.stringify({schemaVersion: 1, findings: {0: {status: 'fail', fingerprint: valid}}})],
  ])('%s', async (name, text) => {
    const path = await baselineFile(`foreign-${name.replace(/\W+/g, '-')}.json`, text)
    await expect(readBaselineFingerprints(path)).rejects.toThrow(
      new UserInputError(`baseline ${path}: not an emr-audit JSON report (schemaVersion 1, from \`scan --format json\`)`),
    )
  })

  it.each([
    ['missing', undefined],
    ['not hex', 'z123456789abcdef0123456789abcdef'],
    ['upper-case hex', valid.toUpperCase()],
    ['with text before it', `x${valid}`],
    ['with text after it', `${valid}0`],
    ['a list holding a valid one', [valid]],
  ])('a fingerprint %s', async (name, fingerprint) => {
    const path = await baselineFile(
      `fingerprint-${name.replace(/\W+/g, '-')}.json`,
      report([
        {status: 'fail', fingerprint: valid},
        {status: 'fail', fingerprint},
      ]),
    )
    await expect(readBaselineFingerprints(path)).rejects.toThrow(new UserInputError(`baseline ${path}: findings[1] has no valid fingerprint`))
  })

  it('a null finding is reported by its index', async () => {
    const path = await baselineFile('null-finding.json', report([null]))
    await expect(readBaselineFingerprints(path)).rejects.toThrow(new UserInputError(`baseline ${path}: findings[0] has no valid fingerprint`))
  })

  it('only failures are kept', async () => {
    const other = 'fedcba9876543210fedcba9876543210'
    const path = await baselineFile(
      'mixed.json',
      report([
        {status: 'pass', fingerprint: other},
        {status: 'fail', fingerprint: valid},
        {status: 'error', fingerprint: other},
      ]),
    )
    expect([...(await readBaselineFingerprints(path))]).toEqual([valid])
  })
})
