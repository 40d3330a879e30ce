import {V2_TAG_KEY} from '../../inventory/tags.js'
import {evaluateAll} from '../../policy/evaluate.js'
import type {Inventory} from '../../inventory/schema.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {studioResource} from './studio-helpers.js'
import {IDENTITY_POLICY_SOURCES} from '../helpers.js'

const studiosWithServiceRole = (inventory: Inventory) => inventory.emr.studios.filter((studio) => studio.serviceRole)

export default defineRule({
  id: 'EMR-STUDIO-005',
  group: 'STUDIO',
  title: 'Studio service role keeps the statements EMR Studio depends on',
  severity: 'medium',
  rationale: 'AWS states these statements must not be altered: without them Workspace connectivity breaks intermittently.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html'],
  remediation: {summary: 'Restore the documented statements (iam:CreatePolicyVersion / iam:PutRolePolicy).', autoApply: 'no'},
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'Studio service role statements',
  needsGlobalSourcesWhen: (inventory) => studiosWithServiceRole(inventory).length > 0,
  reads: ['emr.studios', ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index}) {
    const studios = studiosWithServiceRole(inventory)
    if (studios.length === 0) return []
    const {partition, id: account} = inventory.account
    return studios.flatMap((studio): RuleOutcome[] => {
      const role = index.roleByReference(studio.serviceRole as string)
      if (!role) return []
      const ec2 = (resource: string) => `arn:${partition}:ec2:${studio.region}:${account}:${resource}`
      const noTag = {[`aws:ResourceTag/${V2_TAG_KEY}`]: []}
      const requests = [
        // Must work on resources that do not carry the v2 tag.
        ...['instance/*', 'network-interface/*', 'security-group/*'].map((resource) => ({
          label: `ec2:ModifyNetworkInterfaceAttribute on ${resource} (untagged)`,
          action: 'ec2:ModifyNetworkInterfaceAttribute',
          resource: ec2(resource),
          context: noTag,
        })),
        {
          label: 'ec2:CreateTags on security-group/* when creating a security group',
          action: 'ec2:CreateTags',
          resource: ec2('security-group/*'),
          context: {'ec2:CreateAction': ['CreateSecurityGroup'], [`aws:RequestTag/${V2_TAG_KEY}`]: ['true'], 'aws:TagKeys': [V2_TAG_KEY]},
        },
        {
          label: 'ec2:CreateTags on network-interface/* when creating a network interface',
          action: 'ec2:CreateTags',
          resource: ec2('network-interface/*'),
          context: {'ec2:CreateAction': ['CreateNetworkInterface'], [`aws:RequestTag/${V2_TAG_KEY}`]: ['true'], 'aws:TagKeys': [V2_TAG_KEY]},
        },
      ]
      const {denied: missing, undecided, decisions} = evaluateAll(index.identityPolicies(role), requests, index.permissionsBoundary(role))
      const resource = studioResource(studio)
      const evidence = {serviceRole: role.arn, decisions}
      if (missing.length > 0)
        return [
          {
            status: 'fail',
            resource,
            message: `Studio ${studio.id}'s service role ${role.name} lacks statements EMR Studio depends on: ${missing.join('; ')}.`,
            evidence,
          },
        ]
      if (undecided.length > 0) return [{status: 'unknown', resource, message: `Could not decide all Studio-required statements of ${role.name}.`, evidence}]
      return [{status: 'pass', resource, message: `Studio ${studio.id}'s service role keeps the statements EMR Studio depends on.`, evidence}]
    })
  },
})
