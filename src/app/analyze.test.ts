import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {allowService, doc, emptyInventory, role, setCoverage, withRoles} from '../../test/fixtures/inventory.js'
import {defineRule} from '../rules/types.js'
import {buildReport, exitCodeFor} from '../report/model.js'
import {analyze, fingerprintOf} from './analyze.js'

const passing = defineRule({
  id: 'TEST-PASS',
  group: 'ROLE',
  title: 't',
  severity: 'high',
  rationale: 'r',
  sources: [],
  remediation: {summary: 's', autoApply: 'no'},
  evaluate: (inventory) => [{status: 'pass', resource: {type: 'account', id: inventory.account.id}, message: 'fine'}],
})
const throwing = defineRule({
  ...passing,
  id: 'TEST-THROW',
  evaluate: () => {
    throw new Error('boom')
  },
})
const failing = (severity: 'critical' | 'low') =>
  defineRule({
    ...passing,
    id: `TEST-FAIL-${severity}`,
    severity,
    evaluate: (inventory) => [{status: 'fail', resource: {type: 'account', id: inventory.account.id}, message: 'bad'}],
  })

describe('the rule engine', () => {
  it('turns a rule that throws into one error finding for that rule, and runs the others', () => {
    const findings = analyze(emptyInventory(), {config: {}, rules: [throwing, passing]})
    expect(findings.map((finding) => [finding.ruleId, finding.status])).toEqual([
      ['TEST-THROW', 'error'],
      ['TEST-PASS', 'pass'],
    ])
    expect(findings[0]?.message).toContain('boom')
  })

  it('fingerprints are stable and distinguish rule, resource and sub-key', () => {
    const resource = {type: 'iam-role' as const, id: 'r', arn: 'arn:aws:iam::1:role/r'}
    expect(fingerprintOf('A', '1', resource)).toBe(fingerprintOf('A', '1', {...resource}))
    expect(
      new Set([fingerprintOf('A', '1', resource), fingerprintOf('B', '1', resource), fingerprintOf('A', '1', resource, 'x'), fingerprintOf('A', '2', resource)])
        .size,
    ).toBe(4)
  })

  it('a security configuration named with a `|` cannot take the fingerprint of another finding (and so its baseline status)', () => {
    // EMR names allow `|`; such a configuration has no ARN, so its name is part of the key.
    const configuration = (name: string) => ({type: 'emr-security-configuration' as const, id: name, name, region: 'us-east-1'})
    expect(fingerprintOf('EMR-SECCFG-001', '1', configuration('a|unknown-keys'))).not.toBe(
      fingerprintOf('EMR-SECCFG-001', '1', configuration('a'), 'unknown-keys'),
    )
    expect(fingerprintOf('EMR-SECCFG-001', '1', configuration('a'), 'x|y')).not.toBe(fingerprintOf('EMR-SECCFG-001', '1', configuration('a|x'), 'y'))
    // Fingerprints of everything else are those earlier versions wrote, so existing baselines still apply.
    const resource = {type: 'iam-role' as const, id: 'r', arn: 'arn:aws:iam::1:role/r'}
    expect(fingerprintOf('A', '1', resource, 'x')).toBe(createHash('sha256').update('A|1|arn:aws:iam::1:role/r|x').digest('hex').slice(0, 32))
  })

  it('the shipped rules never throw on an empty account, nor on one where every source failed', () => {
    expect(analyze(emptyInventory(), {config: {}}).filter((finding) => finding.status === 'error')).toEqual([])
    const broken = emptyInventory()
    for (const outcome of broken.coverage) setCoverage(broken, outcome.source, outcome.region, 'denied')
    const findings = analyze(broken, {config: {runtimeRoles: ['x'], ec2Roles: ['y']}})
    expect(findings.filter((finding) => finding.status === 'error')).toEqual([])
    expect(findings.filter((finding) => finding.status === 'pass' && finding.severity !== 'info')).toEqual([])
  })
})

describe('exit codes', () => {
  const report = (rules: ReturnType<typeof defineRule>[], inventory = emptyInventory()) =>
    buildReport(inventory, analyze(inventory, {config: {}, rules}), {includePassed: false})

  it('0 when clean and complete', () => expect(exitCodeFor(report([passing]), 'high')).toBe(0))
  it('1 when something fails at or above the threshold', () => {
    expect(exitCodeFor(report([failing('critical')]), 'high')).toBe(1)
    expect(exitCodeFor(report([failing('low')]), 'low')).toBe(1)
  })
  it('3 when failures are below the threshold but the scan was incomplete', () => {
    expect(exitCodeFor(report([failing('low')]), 'high')).toBe(0)
    expect(exitCodeFor(report([failing('low')], setCoverage(emptyInventory(), 'emr.studios', 'us-east-1', 'unsupported')), 'high')).toBe(3)
    expect(exitCodeFor(report([throwing]), 'high')).toBe(3)
  })

  it('a real failing role drives exit 1 end to end through the engine', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'svc', trust: doc(allowService('ec2.amazonaws.com'))}))
    const built = buildReport(inventory, analyze(inventory, {config: {serviceRoles: ['svc']}}), {includePassed: false})
    expect(built.findings.map((finding) => finding.ruleId)).toContain('EMR-TRUST-001')
    expect(exitCodeFor(built, 'critical')).toBe(1)
  })
})

describe('sources a rule depends on', () => {
  it('a region whose clusters could not be read makes each cluster rule unknown there, once', () => {
    const inventory = setCoverage(emptyInventory(['us-east-1', 'eu-west-1']), 'emr.clusters', 'eu-west-1', 'denied', 'elasticmapreduce:DescribeCluster')
    const findings = analyze(inventory, {config: {}, now: new Date('2026-01-01T00:00:00Z')})
    const unknownIn = (ruleId: string) =>
      findings.filter((finding) => finding.ruleId === ruleId && finding.status === 'unknown').map((finding) => finding.resource.region)
    expect(unknownIn('EMR-SECCFG-002')).toEqual(['eu-west-1'])
    expect(unknownIn('EMR-SLR-002')).toEqual(['eu-west-1'])
    // Once per rule and region, and no "no active cluster" pass beside it.
    expect(unknownIn('EMR-ROLE-001')).toEqual(['eu-west-1'])
    expect(findings.filter((finding) => finding.ruleId === 'EMR-ROLE-001').map((finding) => finding.status)).toEqual(['unknown'])
    expect(findings.find((finding) => finding.ruleId === 'EMR-SECCFG-002')?.message).toMatch(
      /^Could not check .* in eu-west-1: the active clusters \(elasticmapreduce:ListClusters\) could not be read \(see coverage\)\.$/,
    )
    expect(unknownIn('EMR-STUDIO-001')).toEqual([])
  })
})
