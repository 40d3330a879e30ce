import {describe, expect, it} from 'vitest'
import {allowAws, allowService, awsPolicyArn, cluster, doc, emptyInventory, role, roleArn, withRoles} from '../../test/fixtures/inventory.js'
import {buildIndex} from './inventory-index.js'
import {buildScope} from './scope.js'
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
})
