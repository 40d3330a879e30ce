import {describe, expect, it} from 'vitest'
import {finding} from '../../test/fixtures/report.js'
import {applyBaseline, applySuppressions} from './suppressions.js'

const now = new Date('2026-06-15T12:00:00Z')
const suppression = (ruleId: string, resource: string, expires = '2026-12-31') => ({ruleId, resource, reason: 'accepted risk', expires})

describe('suppressions', () => {
  it('suppress matching failing findings by id or ARN (globs allowed), and nothing else', () => {
    const findings = [
      finding('EMR-TAG-001', 'high', 'fail', 'subnet-1'),
      finding('EMR-TAG-002', 'high', 'fail', 'sg-1'),
      finding('EMR-TRUST-002', 'medium', 'fail', 'svc'),
      finding('EMR-TAG-001', 'high', 'unknown', 'subnet-2'),
    ]
    const result = applySuppressions(
      findings,
      [suppression('EMR-TAG-00?', 'subnet-*'), suppression('EMR-TRUST-002', 'arn:aws:iam::123456789012:role/svc')],
      now,
    )
    expect(result.findings.map((entry) => entry.status)).toEqual(['suppressed', 'fail', 'suppressed', 'unknown'])
    expect(result.findings[0]?.suppression?.reason).toBe('accepted risk')
    expect(result.stale).toEqual([])
  })
  it("a cluster named after another cluster's id is not suppressed with it", () => {
    const cluster = (id: string, name: string) =>
      finding('EMR-CLUSTER-004', 'high', 'fail', id, {
        resource: {type: 'emr-cluster', id, name, region: 'us-east-1', arn: `arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/${id}`},
      })
    const findings = [cluster('j-JONWWH8219OTF', 'adhoc-spot'), cluster('j-ATTACKER00001', 'j-JONWWH8219OTF')]
    const result = applySuppressions(findings, [suppression('EMR-CLUSTER-004', 'j-JONWWH8219OTF')], now)
    expect(result.findings.map((entry) => [entry.resource.id, entry.status])).toEqual([
      ['j-JONWWH8219OTF', 'suppressed'],
      ['j-ATTACKER00001', 'fail'],
    ])
    const byArn = applySuppressions(findings, [suppression('EMR-CLUSTER-004', 'arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-JONWWH8219OTF')], now)
    expect(byArn.findings.map((entry) => entry.status)).toEqual(['suppressed', 'fail'])
  })
  it("a security configuration or secret named after a cluster's id or ARN is not suppressed with the cluster", () => {
    // EMR-SECCFG-001 reports on clusters and on security configurations, whose id is the name anyone with EMR rights chooses (any characters, colons too).
    const arn = 'arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-JONWWH8219OTF'
    const cluster = finding('EMR-SECCFG-001', 'high', 'fail', 'j-JONWWH8219OTF', {
      resource: {type: 'emr-cluster', id: 'j-JONWWH8219OTF', name: 'etl', region: 'us-east-1', arn},
    })
    const configuration = (name: string) =>
      finding('EMR-SECCFG-001', 'high', 'fail', name, {resource: {type: 'emr-security-configuration', id: name, name, region: 'us-east-1'}})
    const secret = finding('EMR-TAG-003', 'high', 'fail', 'sg-0123abcd', {
      resource: {type: 'secret', id: 'sg-0123abcd', region: 'us-east-1', arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:sg-0123abcd-AbCdEf'},
    })
    const statuses = (findings: ReturnType<typeof finding>[], entry: object) =>
      applySuppressions(findings, [{...suppression('EMR-*', 'x'), ...entry}], now).findings.map((result) => result.status)
    expect(statuses([cluster, configuration('j-JONWWH8219OTF')], {resource: 'j-JONWWH8219OTF'})).toEqual(['suppressed', 'fail'])
    expect(statuses([cluster, configuration(arn)], {resource: arn})).toEqual(['suppressed', 'fail'])
    expect(statuses([secret], {resource: 'sg-0123*'})).toEqual(['fail'])
    // Said explicitly, the type (whose id is its name) or its ARN still suppresses it; so does a bare `*`.
    expect(statuses([cluster, configuration('j-JONWWH8219OTF')], {resource: 'j-JONWWH8219OTF', resourceType: 'emr-security-configuration'})).toEqual([
      'fail',
      'suppressed',
    ])
    expect(statuses([secret], {resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:sg-0123abcd-*'})).toEqual(['suppressed'])
    expect(statuses([cluster, configuration('j-JONWWH8219OTF'), secret], {resource: '*'})).toEqual(['suppressed', 'suppressed', 'suppressed'])
  })
  it('a name matches only with name: and the resource type, and never a resource of another type', () => {
    const sg = finding('EMR-TAG-002', 'high', 'fail', 'sg-1', {resource: {type: 'ec2-security-group', id: 'sg-1', name: 'etl-master', region: 'us-east-1'}})
    const role = finding('EMR-TAG-002', 'high', 'fail', 'etl-master')
    const statuses = (entry: object) =>
      applySuppressions([sg, role], [{...suppression('EMR-TAG-002', 'name:etl-*'), ...entry}], now).findings.map((result) => result.status)
    expect(statuses({resourceType: 'ec2-security-group'})).toEqual(['suppressed', 'fail'])
    expect(statuses({})).toEqual(['fail', 'fail'])
    expect(statuses({resource: 'etl-master', resourceType: 'ec2-security-group'})).toEqual(['fail', 'fail'])
    expect(statuses({resource: 'sg-*', resourceType: 'iam-role'})).toEqual(['fail', 'fail'])
  })
  it('an expired suppression no longer applies and is reported; the expiry day itself still counts', () => {
    const findings = [finding('EMR-TAG-001', 'high', 'fail', 'subnet-1')]
    const lapsed = suppression('EMR-TAG-001', 'subnet-1', '2026-06-14')
    expect(applySuppressions(findings, [lapsed], now)).toMatchObject({expired: [lapsed], findings: [{status: 'fail'}]})
    expect(applySuppressions(findings, [suppression('EMR-TAG-001', 'subnet-1', '2026-06-15')], now).findings[0]?.status).toBe('suppressed')
  })
  it('a suppression that matches nothing is stale', () => {
    const unused = suppression('EMR-TAG-003', 'sg-*')
    expect(applySuppressions([finding('EMR-TAG-001', 'high', 'fail', 'subnet-1')], [unused], now).stale).toEqual([unused])
  })
})

describe('baseline', () => {
  it('marks failing findings new or existing by fingerprint, and nothing else', () => {
    const known = finding('EMR-TAG-001', 'high', 'fail', 'subnet-1')
    const fresh = finding('EMR-TAG-001', 'high', 'fail', 'subnet-2')
    expect(applyBaseline([known, fresh], new Set([known.fingerprint])).map((entry) => entry.baseline)).toEqual(['existing', 'new'])
    const unknown = finding('EMR-TAG-001', 'high', 'unknown', 'subnet-3')
    expect(applyBaseline([unknown], new Set())[0]?.baseline).toBeUndefined()
  })
})
