/**
 * EMR-SLR-001/002: the service-linked roles EMR's cleanup and EC2 Spot need, created by
 * CreateServiceLinkedRole under /aws-service-role/<service>/
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html); an existing one is
 * AWS's, never edited.
 */
import {describe, expect, it} from 'vitest'
import {emptyInventory, role, withRoles} from '../../../test/fixtures/inventory.js'
import {finding as failing} from '../../../test/fixtures/report.js'
import type {Finding} from '../../findings/types.js'
import type {Inventory} from '../../inventory/schema.js'
import {buildIndex} from '../../rules/inventory-index.js'
import serviceLinkedRoles, {linkedServiceOf, serviceLinkedPath} from './service-linked-roles.js'

const onAccount = (ruleId: string): Finding => failing(ruleId, 'high', 'fail', ruleId, {resource: {type: 'account', id: '123456789012'}})
const plan = (inventory: Inventory, findings: Finding[]) => serviceLinkedRoles.plan(findings, {inventory, index: buildIndex(inventory), config: {}})

describe('the service-linked role fix', () => {
  it('knows exactly the two roles it creates, by service', () => {
    expect(linkedServiceOf('AWSServiceRoleForEMRCleanup')).toBe('elasticmapreduce.amazonaws.com')
    expect(linkedServiceOf('AWSServiceRoleForEC2Spot')).toBe('spot.amazonaws.com')
    expect(linkedServiceOf('AWSServiceRoleForRDS')).toBeUndefined()
    expect(serviceLinkedPath('spot.amazonaws.com')).toBe('/aws-service-role/spot.amazonaws.com/')
  })

  it('creates each missing role once, for all the findings asking for it', () => {
    const first = onAccount('EMR-SLR-001')
    const again = {...onAccount('EMR-SLR-001'), fingerprint: 'a'.repeat(32)}
    const spot = onAccount('EMR-SLR-002')
    expect(plan(emptyInventory(), [spot, first, again])).toEqual({
      proposals: [
        {
          kind: 'create-service-linked-role',
          region: 'global',
          target: {
            type: 'iam-role',
            id: 'AWSServiceRoleForEMRCleanup',
            name: 'AWSServiceRoleForEMRCleanup',
            arn: 'arn:aws:iam::123456789012:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup',
          },
          ruleIds: ['EMR-SLR-001'],
          findings: [first.fingerprint, again.fingerprint],
          summary: 'Create the service-linked role for elasticmapreduce.amazonaws.com (AWSServiceRoleForEMRCleanup)',
          before: {kind: 'service-linked-role', roles: []},
          after: {kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup']},
          guards: [],
        },
        expect.objectContaining({
          ruleIds: ['EMR-SLR-002'],
          findings: [spot.fingerprint],
          after: {kind: 'service-linked-role', roles: ['AWSServiceRoleForEC2Spot']},
        }),
      ],
      declined: [],
    })
  })

  it('proposes nothing when a role already sits under the service’s path, whatever its name', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'AWSServiceRoleForEC2Spot_2', path: '/aws-service-role/spot.amazonaws.com/'}))
    expect(plan(inventory, [onAccount('EMR-SLR-002')])).toEqual({proposals: [], declined: []})
  })

  it('declines a finding on an existing role: AWS’s role is recreated by hand, never edited', () => {
    const broken = failing('EMR-SLR-001', 'high', 'fail', 'AWSServiceRoleForEMRCleanup')
    expect(plan(emptyInventory(), [broken])).toEqual({
      proposals: [],
      declined: [
        {
          fingerprint: broken.fingerprint,
          why: 'a service-linked role cannot be edited; delete and recreate it (iam:DeleteServiceLinkedRole, iam:CreateServiceLinkedRole)',
        },
      ],
    })
  })
})
