/**
 * Fingerprints pinned to literal values: a saved baseline or suppression matches findings by fingerprint, so
 * a changed separator, field order or resource key would make every one of them silently stop matching.
 * Each expected value is sha256 (hex, first 32 characters) of the key written beside it, computed outside
 * emr-audit (python3 hashlib).
 */
import {describe, expect, it} from 'vitest'
import {analyze, fingerprintOf} from '../../src/app/analyze.js'
import {allowService, cluster, doc, emptyInventory, role, withRoles, ACCOUNT, REGION} from '../fixtures/inventory.js'
import {arnOf, withAwsManaged} from '../fixtures/managed-policies.js'

const SERVICE_ROLE = {type: 'iam-role' as const, id: 'svc', name: 'svc', arn: `arn:aws:iam::${ACCOUNT}:role/svc`}

describe('fingerprints', () => {
  it('rule|account|ARN|sub-key, or type:region:id where the resource has no ARN', () => {
    // "EMR-TRUST-002|123456789012|arn:aws:iam::123456789012:role/svc|"
    expect(fingerprintOf('EMR-TRUST-002', ACCOUNT, SERVICE_ROLE)).toBe('17d44d236ab940900f264804e9194c91')
    // "EMR-PASSROLE-001|123456789012|arn:aws:iam::123456789012:role/svc|ec2-custom@ec2.amazonaws.com"
    expect(fingerprintOf('EMR-PASSROLE-001', ACCOUNT, SERVICE_ROLE, 'ec2-custom@ec2.amazonaws.com')).toBe('e742c03236d9bfe0fd2e5201cfa21b90')
    // "EMR-TAG-001|123456789012|ec2-subnet:us-east-1:subnet-1|"
    expect(fingerprintOf('EMR-TAG-001', ACCOUNT, {type: 'ec2-subnet', id: 'subnet-1', region: REGION})).toBe('8160edb05670b40a4a76d857864e9995')
  })

  it('the compact JSON array of the same parts when one holds a "|"', () => {
    // '["EMR-SECCFG-001","123456789012","emr-security-configuration:us-east-1:a|b",""]'
    expect(fingerprintOf('EMR-SECCFG-001', ACCOUNT, {type: 'emr-security-configuration', id: 'a|b', name: 'a|b', region: REGION})).toBe(
      'd7da43b5fee1454fc5bf2a24da185563',
    )
  })

  it('are what analyze gives the findings of an account (the rules’ resources and sub-keys included)', () => {
    const inventory = withAwsManaged(
      withRoles(
        emptyInventory(),
        role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [arnOf('AmazonEMRServicePolicy_v2')]}),
        role({name: 'ec2-custom', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'ec2-custom'}]}),
      ),
      'AmazonEMRServicePolicy_v2',
    )
    inventory.ec2.vpcs.push({id: 'vpc-1', region: REGION, ownerId: ACCOUNT, isDefault: false, tags: []})
    inventory.ec2.subnets.push({id: 'subnet-1', region: REGION, vpcId: 'vpc-1', ownerId: ACCOUNT, tags: []})
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc', instanceProfile: 'ec2-custom', subnetId: 'subnet-1'}))
    const fingerprint = (ruleId: string, resourceId: string) =>
      analyze(inventory, {config: {}, now: new Date('2026-11-29T00:00:00Z')}).find(
        (finding) => finding.ruleId === ruleId && finding.resource.id === resourceId && finding.status === 'fail',
      )?.fingerprint
    expect(fingerprint('EMR-TRUST-002', 'svc')).toBe('17d44d236ab940900f264804e9194c91')
    expect(fingerprint('EMR-PASSROLE-001', 'svc')).toBe('e742c03236d9bfe0fd2e5201cfa21b90')
    expect(fingerprint('EMR-TAG-001', 'subnet-1')).toBe('8160edb05670b40a4a76d857864e9995')
  })
})
