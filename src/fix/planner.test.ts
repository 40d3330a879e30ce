import {describe, expect, it} from 'vitest'
import {allowAws, allowService, cluster, doc, emptyInventory, role, roleArn, withRoles, ACCOUNT, REGION} from '../../test/fixtures/inventory.js'
import {arnOf, withAwsManaged} from '../../test/fixtures/managed-policies.js'
import {simulateApply} from '../../test/fixtures/simulate.js'
import type {AuditConfig} from '../config/schema.js'
import {analyze} from '../app/analyze.js'
import type {Inventory} from '../inventory/schema.js'
import {RULES} from '../rules/index.js'
import {planFixes, type PlanOptions} from './planner.js'
import type {Change, Plan} from './types.js'

const NOW = new Date('2026-11-23T12:00:00Z')
const V2 = {key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}

function plan(inventory: Inventory, config: AuditConfig = {}, options: Partial<PlanOptions> = {}): Plan {
  return planFixes(analyze(inventory, {config, now: NOW}), inventory, {config, now: NOW, ...options})
}

const byKind = (result: Plan, kind: Change['kind']) => result.changes.filter((change) => change.kind === kind)

/** An account with one of each fixable defect, on a v2 service role with custom names. */
function broken(): Inventory {
  const inventory = withAwsManaged(
    withRoles(
      emptyInventory(),
      role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [arnOf('AmazonEMRServicePolicy_v2')]}),
      role({name: 'ec2-custom', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'ec2-profile'}]}),
    ),
    'AmazonEMRServicePolicy_v2',
  )
  inventory.ec2.vpcs.push({id: 'vpc-1', region: REGION, ownerId: ACCOUNT, isDefault: false, tags: []})
  inventory.ec2.subnets.push({id: 'subnet-1', region: REGION, vpcId: 'vpc-1', ownerId: ACCOUNT, tags: []})
  inventory.ec2.securityGroups.push(
    {id: 'sg-m', name: 'm', region: REGION, vpcId: 'vpc-1', ownerId: ACCOUNT, tags: [], ingress: []},
    {
      id: 'sg-s',
      name: 's',
      region: REGION,
      vpcId: 'vpc-1',
      ownerId: ACCOUNT,
      tags: [{key: 'For-Use-With-Amazon-EMR-Managed-Policies', value: 'true'}],
      ingress: [],
    },
  )
  inventory.emr.blockPublicAccess.push({region: REGION, blockPublicSecurityGroupRules: false, permittedRanges: [{min: 22, max: 22}, {min: 8443}]})
  inventory.emr.clusters.push(
    cluster({
      id: 'j-1',
      serviceRole: 'svc',
      instanceProfile: 'ec2-profile',
      subnetId: 'subnet-1',
      emrManagedMasterSecurityGroup: 'sg-m',
      emrManagedSlaveSecurityGroup: 'sg-s',
      instanceGroups: [{id: 'ig-core', type: 'CORE', market: 'SPOT', requestedInstanceCount: 2, hasAutoScalingPolicy: false}],
    }),
  )
  return inventory
}

describe('the planner', () => {
  it('plans one change per fixable defect, with exact calls and before/after', () => {
    const result = plan(broken())
    const summary = result.changes.map((change) => `${change.disposition} ${change.kind} ${change.target.id} ${change.ruleIds.join(',')}`)
    expect(summary).toEqual([
      'apply create-service-linked-role AWSServiceRoleForEC2Spot EMR-SLR-002',
      'apply create-service-linked-role AWSServiceRoleForEMRCleanup EMR-SLR-001',
      'apply instance-profile ec2-custom EMR-PROFILE-001',
      'apply put-block-public-access 123456789012 EMR-CLUSTER-001',
      'apply put-role-policy svc EMR-PASSROLE-001',
      'apply tag-ec2-resource sg-m EMR-TAG-002',
      'apply tag-ec2-resource sg-s EMR-TAG-003',
      'apply tag-ec2-resource subnet-1 EMR-TAG-001',
      'apply update-trust-policy svc EMR-TRUST-002',
    ])
    const subnet = result.changes.find((change) => change.target.id === 'subnet-1')
    expect(subnet?.calls).toEqual([{operation: 'ec2:CreateTags', parameters: {Resources: ['subnet-1'], Tags: [{Key: V2.key, Value: 'true'}]}}])
    expect(subnet?.before).toEqual({kind: 'tags', tags: []})
    expect(subnet?.after).toEqual({kind: 'tags', tags: [V2]})
    // The near-miss key stays (removing it is advisory); the exact key is added beside it.
    expect(result.changes.find((change) => change.target.id === 'sg-s')?.after).toEqual({
      kind: 'tags',
      tags: [{key: 'For-Use-With-Amazon-EMR-Managed-Policies', value: 'true'}, V2],
    })
    const bpa = byKind(result, 'put-block-public-access')[0]
    expect(bpa?.calls[0]?.parameters).toEqual({
      BlockPublicAccessConfiguration: {
        BlockPublicSecurityGroupRules: true,
        PermittedPublicSecurityGroupRuleRanges: [{MinRange: 22, MaxRange: 22}, {MinRange: 8443}],
      },
    })
  })

  it("takes each change's auto-apply from its rules' metadata, not from the module", () => {
    const autoApply = Object.fromEntries(plan(broken()).changes.map((change) => [change.ruleIds.join(','), change.autoApply]))
    // EMR-SLR-001/002 are yes in the catalog; EMR-PASSROLE-001 is guarded here (its metadata says why).
    expect(autoApply).toMatchObject({
      'EMR-SLR-001': 'yes',
      'EMR-SLR-002': 'yes',
      'EMR-PASSROLE-001': 'guarded',
      'EMR-TRUST-002': 'guarded',
      'EMR-TAG-001': 'guarded',
    })
  })

  it('gives emr-audit’s own reason where a rule is advisory though the catalog says guarded', () => {
    const inventory = broken()
    const ec2Role = inventory.iam.roles.find((entry) => entry.name === 'ec2-custom')
    if (ec2Role) ec2Role.trustPolicy = doc(allowService('lambda.amazonaws.com'))
    const manual = plan(inventory).manual.find((item) => item.ruleId === 'EMR-TRUST-003')
    expect(manual?.why).toMatch(/^stricter than the catalog's guarded: adding a principal to a trust widens who may assume the role, .*for a person to apply$/)
  })

  describe('EMR-TRUST-004: the Application Auto Scaling conditions', () => {
    // The conditions AWS documents for the Auto Scaling role: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html
    const AAS = 'application-autoscaling.amazonaws.com'
    const AAS_CONDITIONS = {
      StringEquals: {'aws:SourceAccount': ACCOUNT},
      ArnLike: {'aws:SourceArn': `arn:aws:application-autoscaling:*:${ACCOUNT}:scalable-target/*`},
    }
    const withAutoScalingRole = (...statements: object[]) => withRoles(emptyInventory(), role({name: 'EMR_AutoScaling_DefaultRole', trust: doc(...statements)}))

    it('are added to the statement Application Auto Scaling alone is trusted by, and applied', () => {
      const [change] = byKind(plan(withAutoScalingRole(allowService('elasticmapreduce.amazonaws.com'), allowService(AAS))), 'update-trust-policy')
      expect(change).toMatchObject({
        ruleIds: ['EMR-TRUST-004'],
        disposition: 'apply',
        autoApply: 'guarded',
        guards: [{name: 'serviceSolePrincipal', held: true}],
      })
      expect(change?.after).toEqual({
        kind: 'policy-document',
        document: doc(allowService('elasticmapreduce.amazonaws.com'), allowService(AAS, {Condition: AAS_CONDITIONS})),
      })
    })

    it('on a statement shared with EMR (as create-default-roles writes it) are shown split, never applied', () => {
      const [change] = byKind(plan(withAutoScalingRole(allowService(['elasticmapreduce.amazonaws.com', AAS]))), 'update-trust-policy')
      expect(change).toMatchObject({disposition: 'advisory', reason: 'guard serviceSolePrincipal did not hold'})
      expect(change?.after).toEqual({
        kind: 'policy-document',
        document: doc(allowService('elasticmapreduce.amazonaws.com'), allowService(AAS, {Condition: AAS_CONDITIONS})),
      })
    })

    it('but a missing principal is never added: that widens the trust', () => {
      const result = plan(withAutoScalingRole(allowService('elasticmapreduce.amazonaws.com')))
      expect(byKind(result, 'update-trust-policy')).toEqual([])
      expect(result.manual.find((item) => item.ruleId === 'EMR-TRUST-004')?.why).toBe(
        'adding a principal to a trust widens who may assume the role; it is left to a person',
      )
    })
  })

  it('writes the PassRole grant scoped to the exact role and service', () => {
    const [change] = byKind(plan(broken()), 'put-role-policy')
    expect(change?.policyName).toBe('emr-audit-passrole')
    expect(change?.before).toEqual({kind: 'policy-document', document: null})
    expect(change?.after).toEqual({
      kind: 'policy-document',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'EmrAuditPassRoleToEc2',
            Effect: 'Allow',
            Action: ['iam:PassRole'],
            Resource: [roleArn('ec2-custom')],
            Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}},
          },
        ],
      },
    })
    expect(JSON.parse(String(change?.calls[0]?.parameters['PolicyDocument']))).toEqual(
      change?.after.kind === 'policy-document' ? change.after.document : undefined,
    )
  })

  it('adds both confused-deputy conditions to the EMR statement and keeps the others', () => {
    const inventory = broken()
    const svc = inventory.iam.roles.find((entry) => entry.name === 'svc')
    if (svc) svc.trustPolicy = doc(allowService('elasticmapreduce.amazonaws.com'), allowAws(`arn:aws:iam::${ACCOUNT}:root`))
    const [change] = byKind(plan(inventory), 'update-trust-policy')
    expect(change?.after).toEqual({
      kind: 'policy-document',
      document: doc(
        allowService('elasticmapreduce.amazonaws.com', {
          Condition: {StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}},
        }),
        allowAws(`arn:aws:iam::${ACCOUNT}:root`),
      ),
    })
    expect(change?.guards).toEqual([expect.objectContaining({name: 'emrSolePrincipal', held: true})])
  })

  it('shows a statement shared with another service split, as advisory', () => {
    const inventory = broken()
    const svc = inventory.iam.roles.find((entry) => entry.name === 'svc')
    if (svc) svc.trustPolicy = doc(allowService(['elasticmapreduce.amazonaws.com', 'datapipeline.amazonaws.com']))
    const [change] = byKind(plan(inventory), 'update-trust-policy')
    expect(change?.disposition).toBe('advisory')
    expect(change?.reason).toBe('guard emrSolePrincipal did not hold')
    const statements = change?.after.kind === 'policy-document' ? (change.after.document?.['Statement'] as object[]) : []
    expect(statements).toEqual([
      allowService('datapipeline.amazonaws.com'),
      allowService('elasticmapreduce.amazonaws.com', {
        Condition: {StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}},
      }),
    ])
  })

  it('never grows an existing statement with its Sid but a wider Action or no condition: refused, not applied', () => {
    // The grant is iam:PassRole on one role, conditioned on iam:PassedToService; an Action "*" statement on that
    // role would also allow iam:PutRolePolicy and iam:UpdateAssumeRolePolicy on it
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
    const shapes = [
      {
        Sid: 'EmrAuditPassRoleToEc2',
        Effect: 'Allow',
        Action: '*',
        Resource: [roleArn('other')],
        Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}},
      },
      {Sid: 'EmrAuditPassRoleToEc2', Effect: 'Allow', Action: ['iam:PassRole'], Resource: [roleArn('other')]},
      {
        Sid: 'EmrAuditPassRoleToEc2',
        Effect: 'Allow',
        NotAction: ['iam:CreateRole'],
        Resource: [roleArn('other')],
        Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}},
      },
    ]
    for (const statement of shapes) {
      const inventory = broken()
      const svc = inventory.iam.roles.find((entry) => entry.name === 'svc')
      if (svc) svc.inlinePolicies = [{name: 'emr-audit-passrole', document: doc(statement)}]
      const [change] = byKind(plan(inventory), 'put-role-policy')
      expect(change).toMatchObject({
        disposition: 'refused',
        reason: expect.stringMatching(/statement EmrAuditPassRoleToEc2 of emr-audit-passrole is not the one emr-audit writes/),
      })
    }
  })

  it('refuses a trust change that would exceed the trust policy quota', () => {
    const inventory = broken()
    inventory.account.iamQuotas = {AssumeRolePolicySizeQuota: 120}
    const [change] = byKind(plan(inventory), 'update-trust-policy')
    expect(change?.disposition).toBe('refused')
    expect(change?.reason).toMatch(/over the account's AssumeRolePolicySizeQuota of 120/)
  })

  it('refuses an inline policy that would push the role over its inline quota', () => {
    const inventory = broken()
    inventory.account.iamQuotas = {RolePolicySizeQuota: 100}
    const [change] = byKind(plan(inventory), 'put-role-policy')
    expect(change).toMatchObject({disposition: 'refused', reason: expect.stringMatching(/over IAM's 100/)})
  })

  it('tags a security group only when nothing outside EMR uses it', () => {
    const inventory = broken()
    inventory.ec2.networkInterfaces = [
      {id: 'eni-emr', region: REGION, groupIds: ['sg-m'], tags: [V2]},
      {id: 'eni-web', region: REGION, groupIds: ['sg-m'], instanceId: 'i-web', tags: []},
    ]
    const change = plan(inventory).changes.find((entry) => entry.target.id === 'sg-m')
    expect(change?.disposition).toBe('advisory')
    expect(change?.guards.find((guard) => guard.name === 'usedOnlyByEmr')).toMatchObject({held: false, detail: expect.stringContaining('eni-web (i-web)')})
  })

  it('does not tag a group whose interfaces could not be listed, nor a subnet of another account', () => {
    const inventory = broken()
    inventory.coverage = inventory.coverage.map((outcome) => (outcome.source === 'ec2.networkInterfaces' ? {...outcome, status: 'denied'} : outcome))
    const subnet = inventory.ec2.subnets[0]
    if (subnet) subnet.ownerId = '999999999999'
    const result = plan(inventory)
    expect(result.changes.find((entry) => entry.target.id === 'sg-m')?.guards.find((guard) => guard.name === 'usedOnlyByEmr')?.held).toBeNull()
    expect(result.changes.find((entry) => entry.target.id === 'sg-m')?.disposition).toBe('advisory')
    const subnetChange = result.changes.find((entry) => entry.target.id === 'subnet-1')
    expect(subnetChange).toMatchObject({disposition: 'advisory', reason: 'guard ownedByAccount did not hold'})
    expect(subnetChange?.guards[0]?.detail).toMatch(/owned by 999999999999/)
  })

  it('is idempotent: once the changes hold, planning again yields nothing to apply', () => {
    const inventory = broken()
    const first = plan(inventory)
    const second = plan(simulateApply(inventory, first))
    expect(second.changes.filter((change) => change.disposition === 'apply')).toEqual([])
    expect(first.changes.filter((change) => change.disposition === 'apply').length).toBeGreaterThan(5)
  })

  it('keeps advisory findings as manual items with the catalog remediation', () => {
    const result = plan(broken())
    // The cluster names profile ec2-profile, not a profile named like its role: fixing that means relaunching.
    expect(result.manual.map((item) => item.ruleId)).toContain('EMR-PROFILE-002')
    expect(result.manual.find((item) => item.ruleId === 'EMR-PROFILE-002')?.why).toMatch(/advisory/)
  })

  it('filters by rule and by resource, and leaves suppressed findings alone', () => {
    const inventory = broken()
    expect(plan(inventory, {}, {only: ['EMR-TAG-001']}).changes.map((change) => change.target.id)).toEqual(['subnet-1'])
    expect(
      plan(inventory, {}, {resources: ['svc']})
        .changes.map((change) => change.kind)
        .sort(),
    ).toEqual(['put-role-policy', 'update-trust-policy'])
    const findings = analyze(inventory, {config: {}, now: NOW}).map((finding) =>
      finding.ruleId === 'EMR-TRUST-002' ? {...finding, status: 'suppressed' as const} : finding,
    )
    expect(planFixes(findings, inventory, {config: {}, now: NOW}).changes.map((change) => change.kind)).not.toContain('update-trust-policy')
  })

  it("plans only failures of this account: unknown, passed and other accounts' findings are left alone", () => {
    const inventory = broken()
    const findings = analyze(inventory, {config: {}, now: NOW})
    const relabel = (status: 'unknown' | 'pass' | undefined, account?: string) =>
      planFixes(
        findings.map((finding) => ({...finding, ...(status ? {status} : {}), ...(account ? {account} : {})})),
        inventory,
        {config: {}, now: NOW},
      )
    expect(relabel(undefined).changes).not.toEqual([])
    expect(relabel('unknown')).toMatchObject({changes: [], manual: []})
    expect(relabel('pass')).toMatchObject({changes: [], manual: []})
    expect(relabel(undefined, '999999999999')).toMatchObject({changes: [], manual: []})
    expect(relabel(undefined, ACCOUNT).changes).toEqual(relabel(undefined).changes)
  })

  it('selects resources by name or ARN as well as id, any of several', () => {
    const inventory = broken()
    const kinds = (resources: string[]) =>
      plan(inventory, {}, {resources})
        .changes.map((change) => `${change.kind} ${change.target.id}`)
        .sort()
    expect(kinds([roleArn('svc')])).toEqual(['put-role-policy svc', 'update-trust-policy svc'])
    expect(kinds(['no-such-resource'])).toEqual([])
    expect(kinds(['svc', 'subnet-1'])).toEqual(['put-role-policy svc', 'tag-ec2-resource subnet-1', 'update-trust-policy svc'])
  })

  it('a failure a change will fix is not also listed as manual work', () => {
    const result = plan(broken())
    const fixed = new Set(result.changes.filter((change) => change.disposition === 'apply').flatMap((change) => change.findings))
    expect(fixed.size).toBeGreaterThan(0)
    expect(result.manual.filter((item) => fixed.has(item.fingerprint))).toEqual([])
  })

  it('the home region is the first region scanned', () => {
    const inventory = broken()
    inventory.regions = ['eu-west-1', REGION]
    expect(planFixes([], inventory, {config: {}, now: NOW}).homeRegion).toBe('eu-west-1')
  })

  it('lists changes to apply first, then advisory, then refused; by kind and target within each', () => {
    const order = {apply: 0, advisory: 1, refused: 2}
    const inventory = broken()
    const svc = inventory.iam.roles.find((entry) => entry.name === 'svc')!
    // A trust statement shared with another service is advisory; a foreign statement under emr-audit's Sid is refused.
    svc.trustPolicy = doc(allowService(['elasticmapreduce.amazonaws.com', 'datapipeline.amazonaws.com']))
    svc.inlinePolicies = [
      {name: 'emr-audit-passrole', document: doc({Sid: 'EmrAuditPassRoleToEc2', Effect: 'Allow', Action: '*', Resource: [roleArn('other')]})},
    ]
    const changes = plan(inventory).changes
    const keys = changes.map((change) => [order[change.disposition], change.kind, change.target.id] as const)
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]))
    expect(new Set(changes.map((change) => change.disposition))).toEqual(new Set(['apply', 'advisory', 'refused']))
    expect(keys).toEqual(sorted)
  })

  it('says when a failure has no automatic fix, and stamps the plan with its account, partition, home region and time', () => {
    const inventory = broken()
    const findings = analyze(inventory, {config: {}, now: NOW})
    // EMR-ROLE-001 is advisory in the catalog (REQUIREMENTS: "Auto-apply: no (advisory)").
    const unfixable = {...findings[0]!, ruleId: 'EMR-ROLE-001', status: 'fail' as const, fingerprint: 'f'.repeat(32)}
    const result = planFixes([unfixable], inventory, {config: {}, now: NOW})
    const catalog = RULES.find((rule) => rule.id === 'EMR-ROLE-001')?.remediation.summary
    expect(result.manual).toEqual([expect.objectContaining({ruleId: 'EMR-ROLE-001', why: 'the catalog marks this remediation advisory', remediation: catalog})])
    expect(catalog).toMatch(/\S/)
    expect(result).toMatchObject({account: ACCOUNT, partition: 'aws', homeRegion: REGION, generatedAt: '2026-11-23T12:00:00.000Z', changes: []})
  })

  it('never edits a service-linked role', () => {
    const inventory = broken()
    const svc = inventory.iam.roles.find((entry) => entry.name === 'svc')
    if (svc) svc.path = '/aws-service-role/elasticmapreduce.amazonaws.com/'
    const edits = plan(inventory).changes.filter((change) => change.target.id === 'svc')
    expect(edits.length).toBeGreaterThan(0)
    expect(edits.every((change) => change.disposition === 'refused')).toBe(true)
  })

  it('creates a same-name instance profile only when none exists', () => {
    const inventory = broken()
    const [change] = byKind(plan(inventory), 'instance-profile')
    expect(change?.calls.map((call) => call.operation)).toEqual(['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'])
    inventory.iam.instanceProfiles.push({name: 'ec2-custom', arn: `arn:aws:iam::${ACCOUNT}:instance-profile/ec2-custom`, id: 'AIPAX', path: '/', roles: []})
    const [existing] = byKind(plan(inventory), 'instance-profile')
    expect(existing).toMatchObject({disposition: 'advisory', before: {kind: 'instance-profile', exists: true, roles: []}})
  })

  it('grants runtime roles that steps used, and shows the others as advisory', () => {
    const inventory = broken()
    const runtime = (name: string) => role({name, trust: doc(allowAws(roleArn('ec2-custom')))})
    withRoles(inventory, runtime('rt-used'), runtime('rt-trusting'))
    inventory.emr.securityConfigurations.push({
      name: 'rr',
      region: REGION,
      origins: ['cluster'],
      found: true,
      configuration: {AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}}},
    })
    const j1 = inventory.emr.clusters[0]
    if (j1) {
      j1.securityConfiguration = 'rr'
      j1.steps = [{id: 's-1', executionRoleArn: roleArn('rt-used')}]
    }
    const changes = byKind(plan(inventory), 'put-role-policy').filter((change) => change.target.id === 'ec2-custom')
    expect(changes.map((change) => [change.policyName, change.disposition])).toEqual([
      ['emr-audit-runtime-roles', 'apply'],
      ['emr-audit-runtime-roles-unverified', 'advisory'],
    ])
    const granted = changes[0]?.after.kind === 'policy-document' ? changes[0].after.document : null
    expect(granted?.['Statement']).toEqual([
      {Sid: 'EmrAuditAssumeRuntimeRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [roleArn('rt-used')]},
    ])
    const configured = byKind(plan(inventory, {runtimeRoles: ['rt-trusting']}), 'put-role-policy').filter((change) => change.target.id === 'ec2-custom')
    expect(configured.map((change) => change.disposition)).toEqual(['apply'])
  })
})

describe('the planner, at its edges', () => {
  it('names every guard that did not hold or could not be decided, in order', () => {
    const inventory = broken()
    const group = inventory.ec2.securityGroups.find((entry) => entry.id === 'sg-m')
    if (group) group.ownerId = '210987654321'
    delete inventory.ec2.networkInterfaces
    const change = plan(inventory).changes.find((entry) => entry.target.id === 'sg-m')
    expect(change).toMatchObject({
      disposition: 'advisory',
      reason: 'guard ownedByAccount did not hold; guard usedOnlyByEmr could not be decided',
    })
  })

  it('refuses a change of its own that it could not prove safe from a saved plan', () => {
    const inventory = broken()
    // Not an EC2 id: verify.ts would refuse this change in a saved plan, so the planner refuses it now.
    const subnet = inventory.ec2.subnets[0]
    if (subnet) subnet.id = 'subnet-1.a'
    const cluster = inventory.emr.clusters[0]
    if (cluster) cluster.subnetId = 'subnet-1.a'
    expect(plan(inventory).changes.find((change) => change.target.id === 'subnet-1.a')).toMatchObject({
      disposition: 'refused',
      reason: 'emr-audit cannot prove this change safe: a tag-ec2-resource change cannot target the ec2-subnet "subnet-1.a"',
    })
  })

  it('says a failure of a rule it does not know has no automatic fix', () => {
    const inventory = broken()
    const [any] = analyze(inventory, {config: {}, now: NOW})
    if (!any) throw new Error('no finding')
    const unknown = {...any, ruleId: 'EMR-FUTURE-001', status: 'fail' as const, fingerprint: 'e'.repeat(32)}
    expect(planFixes([unknown], inventory, {config: {}, now: NOW}).manual).toEqual([
      {
        ruleId: 'EMR-FUTURE-001',
        resource: unknown.resource,
        fingerprint: unknown.fingerprint,
        message: unknown.message,
        remediation: '',
        why: 'emr-audit has no automatic fix for it yet',
      },
    ])
  })

  it('plans findings that name no account as the inventory’s own', () => {
    const inventory = broken()
    const findings = analyze(inventory, {config: {}, now: NOW}).map(({account: _account, ...finding}) => finding)
    expect(planFixes(findings, inventory, {config: {}, now: NOW}).changes.length).toBe(plan(inventory).changes.length)
  })

  it('takes us-east-1 as the home region when no region was scanned', () => {
    const inventory = broken()
    inventory.regions = []
    expect(planFixes([], inventory, {config: {}, now: NOW}).homeRegion).toBe('us-east-1')
  })

  it('gives each change its own id, also two changes on one role', () => {
    // svc gets both a trust change and a PassRole policy.
    const ids = plan(broken()).changes.map((change) => change.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.every((id) => /^[0-9a-f]{12}$/.test(id))).toBe(true)
  })
})
