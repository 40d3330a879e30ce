import {describe, expect, it} from 'vitest'
import {allowAws, allowService, awsPolicyArn, cluster, doc, emptyInventory, role, roleArn, withRoles} from '../../test/fixtures/inventory.js'
import {buildIndex} from './inventory-index.js'
import {buildScope, emrfsRoleMappings, severityForScope, strongestVia} from './scope.js'
import type {AuditConfig} from '../config/schema.js'
import type {Inventory} from '../inventory/schema.js'

function scopeOf(inventory: Inventory, config: AuditConfig = {}) {
  const scope = buildScope(inventory, buildIndex(inventory), config)
  return (name: string) => scope.reasonsFor(name).map((reason) => `${reason.class}/${reason.via}`)
}

describe('the role scope model (REQUIREMENTS §3)', () => {
  it('cluster references: service role by ARN, auto scaling role, and the role inside the instance profile', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'svc', path: '/emr/'}), role({name: 'asg'}), role({name: 'ec2', profiles: [{name: 'profile-x'}]}))
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: roleArn('svc', '/emr/'), autoScalingRole: 'asg', instanceProfile: 'profile-x'}))
    const reasons = scopeOf(inventory)
    expect([reasons('svc'), reasons('asg'), reasons('ec2')]).toEqual([['SVC/reference'], ['ASG/reference'], ['EC2/reference']])
  })

  it('the strongest reason per class wins; a role can hold several classes', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'EMR_DefaultRole', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [awsPolicyArn('AmazonEMRServicePolicy_v2')]}),
    )
    expect(scopeOf(inventory)('EMR_DefaultRole')).toEqual(['SVC/default-name'])
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'EMR_DefaultRole'}))
    expect(scopeOf(inventory, {ec2Roles: ['EMR_DefaultRole']})('EMR_DefaultRole')).toEqual(['SVC/reference', 'EC2/config'])
  })

  it('default names include the misspelt legacy auto scaling role and the EMR service-linked role by path', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'EMR_AutoScalingDefaultRole'}),
      role({name: 'renamed-cleanup', path: '/aws-service-role/elasticmapreduce.amazonaws.com/'}),
    )
    const reasons = scopeOf(inventory)
    expect(reasons('EMR_AutoScalingDefaultRole')).toEqual(['ASG/default-name'])
    expect(reasons('renamed-cleanup')).toEqual(['SLR/default-name'])
  })

  it('Studios (from the API or the config) bring their service and user roles in', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'studio-svc'}), role({name: 'studio-user'}))
    inventory.emr.studios.push({
      id: 'es-1',
      region: 'us-east-1',
      origin: 'config',
      subnetIds: [],
      gitSecrets: [],
      serviceRole: 'studio-svc',
      userRole: roleArn('studio-user'),
    })
    const reasons = scopeOf(inventory)
    expect([reasons('studio-svc'), reasons('studio-user')]).toEqual([['STUDIO_SVC/config'], ['STUDIO_USER/config']])
  })

  it('EMRFS role mappings of security configurations are in scope, existing or not', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'emrfs-data'}))
    inventory.emr.securityConfigurations.push({
      name: 'sc',
      region: 'us-east-1',
      origins: ['listed'],
      found: true,
      configuration: {
        AuthorizationConfiguration: {
          EmrFsConfiguration: {RoleMappings: [{Role: roleArn('emrfs-data'), IdentifierType: 'User', Identifiers: ['a']}, {Role: roleArn('gone')}]},
        },
      },
    })
    const scope = buildScope(inventory, buildIndex(inventory), {})
    expect(scope.rolesOf('EMRFS').map((entry) => [entry.name, entry.role !== undefined])).toEqual([
      ['emrfs-data', true],
      ['gone', false],
    ])
  })

  it('runtime roles and EC2 roles find each other through trust, never all with all', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'ec2', profiles: [{name: 'ec2'}]}),
      role({name: 'runtime-a', trust: doc(allowAws(roleArn('ec2')))}),
      role({name: 'unrelated', trust: doc(allowAws(roleArn('someone-else')))}),
      role({name: 'other-ec2'}),
      role({name: 'runtime-b', trust: doc(allowAws(roleArn('other-ec2')))}),
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', instanceProfile: 'ec2'}))
    const reasons = scopeOf(inventory, {runtimeRoles: ['runtime-b']})
    expect(reasons('runtime-a')).toEqual(['RUNTIME/heuristic'])
    expect(reasons('unrelated')).toEqual([])
    expect(reasons('runtime-b')).toEqual(['RUNTIME/config'])
    expect(reasons('other-ec2')).toEqual(['EC2/heuristic'])
  })

  // The managed policies each default role carries: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html
  it('heuristics: a role trusting the service and carrying its EMR managed policy, never a service-linked one', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'svc-v1', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [awsPolicyArn('AmazonElasticMapReduceRole')]}),
      role({name: 'svc-untrusted', trust: doc(allowService('ec2.amazonaws.com')), managed: [awsPolicyArn('AmazonEMRServicePolicy_v2')]}),
      role({name: 'ec2-h', trust: doc(allowService('ec2.amazonaws.com')), managed: [awsPolicyArn('AmazonElasticMapReduceforEC2Role')]}),
      role({name: 'ec2-untrusted', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [awsPolicyArn('AmazonElasticMapReduceforEC2Role')]}),
      role({
        name: 'asg-h',
        trust: doc(allowService('application-autoscaling.amazonaws.com')),
        managed: [awsPolicyArn('AmazonElasticMapReduceforAutoScalingRole')],
      }),
      role({name: 'asg-untrusted', trust: doc(allowService('ec2.amazonaws.com')), managed: [awsPolicyArn('AmazonElasticMapReduceforAutoScalingRole')]}),
      role({name: 'nb-h', managed: [awsPolicyArn('AmazonElasticMapReduceEditorsRole')]}),
      role({name: 'svc-v2', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [awsPolicyArn('AmazonEMRServicePolicy_v2')]}),
      role({
        name: 'linked',
        path: '/aws-service-role/elasticmapreduce.amazonaws.com/',
        trust: doc(allowService('elasticmapreduce.amazonaws.com')),
        managed: [awsPolicyArn('AmazonEMRServicePolicy_v2'), awsPolicyArn('AmazonElasticMapReduceEditorsRole')],
      }),
    )
    const scope = buildScope(inventory, buildIndex(inventory), {})
    const reasons = (name: string) => scope.reasonsFor(name).map((reason) => `${reason.class}/${reason.via}: ${reason.detail}`)
    expect(reasons('svc-v1')).toEqual(['SVC/heuristic: trusts the EMR principal and has an EMR service policy attached'])
    expect(reasons('ec2-h')).toEqual(['EC2/heuristic: trusts the EC2 principal and has AmazonElasticMapReduceforEC2Role attached'])
    expect(reasons('asg-h')).toEqual(['ASG/heuristic: trusts Application Auto Scaling and has AmazonElasticMapReduceforAutoScalingRole attached'])
    expect(reasons('nb-h')).toEqual(['NB/heuristic: has AmazonElasticMapReduceEditorsRole attached'])
    expect(reasons('linked')).toEqual(['SLR/default-name: service-linked role path /aws-service-role/elasticmapreduce.amazonaws.com/'])
    for (const name of ['svc-untrusted', 'ec2-untrusted', 'asg-untrusted']) expect(reasons(name)).toEqual([])
    expect(reasons('svc-v2')).toEqual(['SVC/heuristic: trusts the EMR principal and has an EMR service policy attached'])
    expect(scope.existingRoles().map((entry) => entry.name)).toEqual(['svc-v1', 'ec2-h', 'asg-h', 'nb-h', 'svc-v2', 'linked'])
    // Nothing in the config, no cluster: no role comes in any other way.
    expect(scope.rolesOf('SVC').map((entry) => entry.name)).toEqual(['svc-v1', 'svc-v2'])
    expect(scope.rolesOf('RUNTIME')).toEqual([])
  })

  it('step runtime roles, and Studios from the API, are references; each cluster using a role is a reason of its own', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'runtime'}), role({name: 'studio-svc'}), role({name: 'svc'}))
    inventory.emr.clusters.push(
      cluster({id: 'j-1', serviceRole: 'svc', steps: [{id: 's-1', executionRoleArn: roleArn('runtime')}, {id: 's-2'}]}),
      cluster({id: 'j-2', serviceRole: 'svc'}),
      cluster({id: 'j-2', serviceRole: 'svc'}),
    )
    inventory.emr.studios.push({id: 'es-1', region: 'us-east-1', origin: 'api', subnetIds: [], gitSecrets: [], serviceRole: 'studio-svc', userRole: 'nobody'})
    const scope = buildScope(inventory, buildIndex(inventory), {runtimeRoles: ['runtime']})
    expect(scope.reasonsFor('runtime')).toEqual([{class: 'RUNTIME', via: 'reference', detail: 'runtime role of step s-1 on cluster j-1 (us-east-1)'}])
    expect(scope.reasonsFor('studio-svc')).toEqual([{class: 'STUDIO_SVC', via: 'reference', detail: 'service role of Studio es-1 (us-east-1)'}])
    expect(scope.reasonsFor('nobody')).toEqual([{class: 'STUDIO_USER', via: 'reference', detail: 'user role of Studio es-1 (us-east-1)'}])
    expect(scope.reasonsFor('svc').map((reason) => reason.detail)).toEqual([
      'service role of cluster j-1 (us-east-1)',
      'service role of cluster j-2 (us-east-1)',
    ])
    expect(scope.rolesOf('STUDIO_USER').map((entry) => [entry.name, entry.reference, entry.role])).toEqual([['nobody', 'nobody', undefined]])
    expect(scope.existingRoles().map((entry) => entry.name)).not.toContain('nobody')
    expect(scope.reasonsFor('never-heard-of')).toEqual([])
  })

  it('a Studio without roles, a missing instance profile, and a trust Deny naming the EC2 role bring nothing in', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'ec2', profiles: [{name: 'ec2'}]}),
      role({name: 'denier', trust: doc({Effect: 'Deny', Principal: {AWS: roleArn('ec2')}, Action: 'sts:AssumeRole'})}),
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', instanceProfile: 'ec2'}), cluster({id: 'j-2', instanceProfile: 'deleted-profile'}))
    inventory.emr.studios.push({id: 'es-1', region: 'us-east-1', origin: 'api', subnetIds: [], gitSecrets: []})
    const scope = buildScope(inventory, buildIndex(inventory), {})
    expect(scope.reasonsFor('denier')).toEqual([])
    expect([...scope.rolesOf('STUDIO_SVC'), ...scope.rolesOf('STUDIO_USER')]).toEqual([])
    expect(scope.rolesOf('EC2').map((entry) => entry.name)).toEqual(['ec2'])
  })

  it('a weaker reason for a class already held is dropped; the strongest kind is kept', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'EMR_EC2_DefaultRole', trust: doc(allowService('ec2.amazonaws.com')), managed: [awsPolicyArn('AmazonElasticMapReduceforEC2Role')]}),
    )
    // The config is read before the role list, so the default name and the heuristic arrive after it.
    expect(scopeOf(inventory, {ec2Roles: ['EMR_EC2_DefaultRole']})('EMR_EC2_DefaultRole')).toEqual(['EC2/config'])
    expect(scopeOf(inventory)('EMR_EC2_DefaultRole')).toEqual(['EC2/default-name'])
    inventory.emr.clusters.push(cluster({id: 'j-1', instanceProfile: 'p'}))
    inventory.iam.roles[0]!.instanceProfiles.push({name: 'p', arn: 'arn:aws:iam::123456789012:instance-profile/p', roleNames: ['EMR_EC2_DefaultRole']})
    inventory.iam.instanceProfiles.push({
      name: 'p',
      arn: 'arn:aws:iam::123456789012:instance-profile/p',
      id: 'AIPAP',
      path: '/',
      roles: [{name: 'EMR_EC2_DefaultRole', arn: roleArn('EMR_EC2_DefaultRole')}],
    })
    expect(scopeOf(inventory, {ec2Roles: ['EMR_EC2_DefaultRole']})('EMR_EC2_DefaultRole')).toEqual(['EC2/reference'])
  })

  it('a heuristic runtime role brings in no EC2 role, and only roles count, not users', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'ec2', profiles: [{name: 'ec2'}]}),
      role({name: 'runtime-h', trust: doc(allowAws([roleArn('ec2'), roleArn('second')]))}),
      role({name: 'second'}),
      role({
        name: 'runtime-c',
        trust: doc(allowAws(['arn:aws:iam::123456789012:user/second', roleArn('third')]), {
          Effect: 'Deny',
          Principal: {AWS: roleArn('fourth')},
          Action: 'sts:AssumeRole',
        }),
      }),
      role({name: 'third'}),
      role({name: 'fourth'}),
      role({name: 'linked', path: '/aws-service-role/x/', trust: doc(allowAws(roleArn('ec2')))}),
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', instanceProfile: 'ec2'}))
    const reasons = scopeOf(inventory, {runtimeRoles: ['runtime-c']})
    expect(reasons('runtime-h')).toEqual(['RUNTIME/heuristic'])
    expect(reasons('second')).toEqual([])
    expect(reasons('third')).toEqual(['EC2/heuristic'])
    expect(reasons('fourth')).toEqual([])
    expect(reasons('linked')).toEqual([])
  })
})

describe('why a role is in scope, as a report says it', () => {
  it('names the cluster, profile, Studio, security configuration, config key, default name or trust that brought it in', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'asg'}),
      role({name: 'ec2', profiles: [{name: 'ec2-profile'}]}),
      role({name: 'EMR_DefaultRole'}),
      role({name: 'configured-svc'}),
      role({name: 'configured-ec2'}),
      role({name: 'configured-runtime', trust: doc(allowAws(roleArn('peer')))}),
      role({name: 'peer'}),
      role({name: 'candidate', trust: doc(allowAws(roleArn('ec2')))}),
      role({name: 'data'}),
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', autoScalingRole: 'asg', instanceProfile: 'arn:aws:iam::123456789012:instance-profile/ec2-profile'}))
    inventory.emr.securityConfigurations.push({
      name: 'sc',
      region: 'us-east-1',
      origins: ['listed'],
      found: true,
      configuration: {AuthorizationConfiguration: {EmrFsConfiguration: {RoleMappings: [{Role: roleArn('data')}]}}},
    })
    const scope = buildScope(inventory, buildIndex(inventory), {
      serviceRoles: ['configured-svc', 'EMR_DefaultRole'],
      ec2Roles: ['configured-ec2'],
      runtimeRoles: ['configured-runtime'],
    })
    const details = (name: string) => scope.reasonsFor(name).map((reason) => `${reason.class}/${reason.via}: ${reason.detail}`)
    expect(details('asg')).toEqual(['ASG/reference: auto scaling role of cluster j-1 (us-east-1)'])
    expect(details('ec2')).toEqual(['EC2/reference: role in instance profile ec2-profile of cluster j-1 (us-east-1)'])
    expect(details('data')).toEqual(['EMRFS/reference: EMRFS role mapping in security configuration sc (us-east-1)'])
    expect(details('configured-svc')).toEqual(['SVC/config: named in the config (serviceRoles)'])
    expect(details('EMR_DefaultRole')).toEqual(['SVC/config: named in the config (serviceRoles)'])
    expect(details('configured-ec2')).toEqual(['EC2/config: named in the config (ec2Roles)'])
    expect(details('configured-runtime')).toEqual(['RUNTIME/config: named in the config (runtimeRoles)'])
    expect(details('peer')).toEqual(['EC2/heuristic: trusted by runtime role configured-runtime'])
    expect(details('candidate')).toEqual(['RUNTIME/heuristic: trust names the EMR EC2 role ec2'])
    expect(scope.rolesOf('EC2').map((entry) => entry.name)).toEqual(['ec2', 'configured-ec2', 'peer'])
    expect(scope.rolesOf('RUNTIME').map((entry) => entry.name)).toEqual(['configured-runtime', 'candidate'])
  })

  it('a default name says which', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'EMR_Notebooks_DefaultRole'}))
    expect(buildScope(inventory, buildIndex(inventory), {}).reasonsFor('EMR_Notebooks_DefaultRole')).toEqual([
      {class: 'NB', via: 'default-name', detail: 'default EMR role name EMR_Notebooks_DefaultRole'},
    ])
  })

  it('a role of several classes is listed under each of them only', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'both'}))
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'both'}))
    const scope = buildScope(inventory, buildIndex(inventory), {ec2Roles: ['both']})
    expect(scope.rolesOf('SVC').map((entry) => entry.name)).toEqual(['both'])
    expect(scope.rolesOf('EC2').map((entry) => entry.name)).toEqual(['both'])
    expect(scope.rolesOf('ASG')).toEqual([])
  })
})

describe('scope helpers', () => {
  it('the strongest way in is a reference, then the config, then a default name, then a heuristic', () => {
    const reason = (via: 'heuristic' | 'default-name' | 'config' | 'reference', roleClass: 'SVC' | 'EC2' = 'SVC') => ({class: roleClass, via, detail: via})
    expect(strongestVia([reason('heuristic'), reason('reference'), reason('config')], 'SVC')).toBe('reference')
    expect(strongestVia([reason('default-name'), reason('heuristic')], 'SVC')).toBe('default-name')
    expect(strongestVia([reason('config'), reason('default-name')], 'SVC')).toBe('config')
    expect(strongestVia([reason('reference', 'EC2'), reason('heuristic')], 'SVC')).toBe('heuristic')
    expect(strongestVia([reason('reference', 'EC2')], 'SVC')).toBeUndefined()
    // REQUIREMENTS §3: roles matched only by heuristic are reported with info severity.
    expect(severityForScope([reason('heuristic')], 'SVC', 'high')).toBe('info')
    expect(severityForScope([reason('heuristic'), reason('config')], 'SVC', 'high')).toBe('high')
    expect(severityForScope([], 'SVC', 'high')).toBe('high')
  })

  it('reads EMRFS role mappings only from the documented shape', () => {
    expect(emrfsRoleMappings(null)).toEqual([])
    expect(emrfsRoleMappings({AuthorizationConfiguration: 'x'})).toEqual([])
    expect(emrfsRoleMappings({AuthorizationConfiguration: {EmrFsConfiguration: []}})).toEqual([])
    expect(emrfsRoleMappings({AuthorizationConfiguration: {EmrFsConfiguration: {RoleMappings: {Role: 'r'}}}})).toEqual([])
    expect(emrfsRoleMappings({AuthorizationConfiguration: {EmrFsConfiguration: {RoleMappings: [{Role: 'r'}, {Role: 7}, 'r2', null]}}})).toEqual(['r'])
  })
})
