import {describe, expect, it} from 'vitest'
import {allowService, cluster, doc, emptyInventory, role, roleArn, withRoles, ACCOUNT} from '../../../test/fixtures/inventory.js'
import {arnOf, withAwsManaged} from '../../../test/fixtures/managed-policies.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import type {Inventory} from '../../inventory/schema.js'
import passrole001 from './emr-passrole-001.js'
import passrole002 from './emr-passrole-002.js'
import passrole003 from './emr-passrole-003.js'

const emrTrust = doc(allowService('elasticmapreduce.amazonaws.com'))
const ec2Trust = doc(allowService('ec2.amazonaws.com'))

function v2Account(ec2Role: string, extraInline?: object): Inventory {
  const inventory = withAwsManaged(
    withRoles(emptyInventory(), role({name: 'svc', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2')], ...(extraInline ? {inline: {pass: doc(extraInline)}} : {})}), role({name: ec2Role, trust: ec2Trust, profiles: [{name: ec2Role}]})),
    'AmazonEMRServicePolicy_v2',
  )
  inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc', instanceProfile: ec2Role}))
  return inventory
}

describe('EMR-PASSROLE-001 the service role can pass the cluster roles', () => {
  it('passes for the default EC2 role under the v2 policy', () => {
    expect(summarise(runRule(passrole001, v2Account('EMR_EC2_DefaultRole')))).toEqual(['pass svc#EMR_EC2_DefaultRole@ec2.amazonaws.com'])
  })
  it('fails critical for a custom-named EC2 role in use', () => {
    const [outcome] = runRule(passrole001, v2Account('custom-ec2'))
    expect(outcome).toMatchObject({status: 'fail', severity: 'critical', subKey: 'custom-ec2@ec2.amazonaws.com'})
  })
  it('passes once a scoped PassRole statement is added', () => {
    const scoped = {Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn('custom-ec2'), Condition: {StringLike: {'iam:PassedToService': 'ec2.amazonaws.com*'}}}
    expect(runRule(passrole001, v2Account('custom-ec2', scoped)).map((outcome) => outcome.status)).toEqual(['pass'])
  })
  it('checks configured pairs at high severity', () => {
    const inventory = withAwsManaged(withRoles(emptyInventory(), role({name: 'svc', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2')]}), role({name: 'custom-ec2', trust: ec2Trust})), 'AmazonEMRServicePolicy_v2')
    const [outcome] = runRule(passrole001, inventory, {serviceRoles: ['svc'], ec2Roles: ['custom-ec2']})
    expect(outcome).toMatchObject({status: 'fail', severity: 'high'})
  })
})

function operators(): Inventory {
  const inventory = withAwsManaged(v2Account('EMR_EC2_DefaultRole'), 'AmazonEMRFullAccessPolicy_v2', 'AdministratorAccess')
  const user = (name: string, attached: string[], inline: Record<string, object> = {}) => ({
    name,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    id: `AIDA${name.toUpperCase()}`,
    path: '/',
    inlinePolicies: Object.entries(inline).map(([policyName, statement]) => ({name: policyName, document: doc(statement)})),
    attachedPolicies: attached.map((arn) => ({name: arn.slice(arn.lastIndexOf('/') + 1), arn})),
    groups: [] as string[],
    tags: [],
  })
  inventory.iam.users.push(
    user('admin', [arnOf('AdministratorAccess')]),
    user('analyst', [arnOf('AmazonEMRFullAccessPolicy_v2')]),
    user('wildcard', [], {p: {Effect: 'Allow', Action: 'iam:Pass*', Resource: `arn:aws:iam::${ACCOUNT}:role/*`}}),
    user('scoped', [], {p: {Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: {StringEquals: {'iam:PassedToService': 'elasticmapreduce.amazonaws.com'}}}}),
    user('notaction', [], {p: {Effect: 'Allow', NotAction: 's3:*', Resource: '*'}}),
  )
  const grouped = user('grouped', [])
  grouped.groups = ['emr-admins']
  inventory.iam.users.push(grouped)
  inventory.iam.groups.push({name: 'emr-admins', arn: `arn:aws:iam::${ACCOUNT}:group/emr-admins`, id: 'AGPA1', path: '/', inlinePolicies: [{name: 'g', document: doc({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'})}], attachedPolicies: []})
  return inventory
}

describe('EMR-PASSROLE-002 unscoped PassRole among operators', () => {
  it('flags *, iam:Pass* on role/*, NotAction and group policies; not a PassedToService-scoped grant', () => {
    expect(summarise(runRule(passrole002, operators()))).toEqual(['fail admin', 'fail grouped', 'fail notaction', 'fail wildcard'])
  })
})

describe('EMR-PASSROLE-003 launchers can pass the roles in use', () => {
  it('AmazonEMRFullAccessPolicy_v2 cannot pass a service role named other than EMR_DefaultRole_V2', () => {
    const outcomes = runRule(passrole003, operators())
    expect(outcomes.filter((outcome) => outcome.resource.id === 'analyst')).toEqual([expect.objectContaining({status: 'fail', message: expect.stringContaining('not pass svc')})])
    expect(outcomes.find((outcome) => outcome.resource.id === 'admin')?.status).toBe('pass')
  })
})
