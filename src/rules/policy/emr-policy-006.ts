import {DEFAULT_IAM_QUOTAS} from '../../inventory/quotas.js'
import type {PolicyDocument, Role} from '../../inventory/schema.js'
import {rawStatements} from '../../policy/document.js'
import {existingRolesOf, roleResource, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

const NEAR = 0.9

/** IAM counts policy size without white space. */
export function policySize(document: PolicyDocument | null): number {
  return document ? JSON.stringify(document).replace(/\s+/g, '').length : 0
}

const isEmrManaged = (name: string): boolean => /EMR|ElasticMapReduce/.test(name)
/** Key order does not matter to IAM, so it must not matter to the comparison (at any depth). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

function copiedStatements(role: Role, managedStatements: Map<string, string>): Array<{inline: string; managedPolicy: string}> {
  return role.inlinePolicies.flatMap((policy) => {
    const list = rawStatements(policy.document)
    const copied = list.map((statement) => managedStatements.get(canonical(statement))).filter((name): name is string => name !== undefined)
    // Most of the inline document is a copy of an EMR managed policy: it will not receive AWS's updates.
    return list.length > 0 && copied.length * 2 >= list.length ? [{inline: policy.name, managedPolicy: copied[0] as string}] : []
  })
}

export default defineRule({
  id: 'EMR-POLICY-006',
  group: 'POLICY',
  title: 'Policy hygiene on EMR roles (inline drift, version headroom)',
  severity: 'low',
  rationale: 'Inline copies of EMR managed policies do not receive AWS updates; full version slots and documents near their size quota block future edits.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  ],
  remediation: {
    summary: 'Replace inline copies with the managed policy; delete an unused policy version or shrink a document before editing it.',
    autoApply: 'no',
  },
  dependsOn: ['iam.authorizationDetails'],
  checks: 'EMR role policy hygiene',
  reads: [...ROLE_SCOPE_SOURCES, ...IDENTITY_POLICY_SOURCES, 'iam.accountSummary'],
  evaluate(inventory, {index, scope}) {
    const quotas = {...DEFAULT_IAM_QUOTAS, ...inventory.account.iamQuotas}
    const managedStatements = new Map<string, string>()
    for (const policy of inventory.iam.policies.filter((entry) => entry.awsManaged && isEmrManaged(entry.name))) {
      for (const statement of rawStatements(policy.document)) managedStatements.set(canonical(statement), policy.name)
    }
    const outcomes: RuleOutcome[] = []
    for (const {role, reasons} of existingRolesOf(scope, ['SVC', 'EC2', 'ASG', 'STUDIO_SVC', 'STUDIO_USER', 'NB', 'RUNTIME', 'EMRFS'])) {
      const base = {resource: roleResource(role), scope: reasons}
      const copies = copiedStatements(role, managedStatements)
      if (copies.length > 0) {
        outcomes.push({
          ...base,
          subKey: 'inline-copy',
          severity: 'low',
          status: 'fail',
          message: `Inline policy ${copies.map((copy) => copy.inline).join(', ')} of ${role.name} copies ${copies[0]?.managedPolicy}; inline copies miss AWS's updates, attach the managed policy instead.`,
          evidence: {copies},
        })
      }
      const fullPolicies = role.attachedPolicies
        .map((attached) => index.policy(attached.arn))
        .filter((policy) => policy && !policy.awsManaged && (policy.versionCount ?? 0) >= quotas.VersionsPerPolicyQuota)
        .map((policy) => policy?.arn)
      if (fullPolicies.length > 0) {
        outcomes.push({
          ...base,
          subKey: 'versions',
          severity: 'info',
          status: 'fail',
          message: `${fullPolicies.join(', ')} attached to ${role.name} has all ${quotas.VersionsPerPolicyQuota} versions in use; an edit must first delete a non-default version.`,
          evidence: {policies: fullPolicies},
        })
      }
      const near: string[] = []
      const trustSize = policySize(role.trustPolicy)
      if (trustSize >= quotas.AssumeRolePolicySizeQuota * NEAR) near.push(`trust policy ${trustSize}/${quotas.AssumeRolePolicySizeQuota}`)
      const inlineSize = role.inlinePolicies.reduce((sum, policy) => sum + policySize(policy.document), 0)
      if (inlineSize >= quotas.RolePolicySizeQuota * NEAR) near.push(`inline policies ${inlineSize}/${quotas.RolePolicySizeQuota}`)
      for (const attached of role.attachedPolicies) {
        const policy = index.policy(attached.arn)
        if (policy && !policy.awsManaged && policySize(policy.document) >= quotas.PolicySizeQuota * NEAR)
          near.push(`${policy.name} ${policySize(policy.document)}/${quotas.PolicySizeQuota}`)
      }
      if (near.length > 0) {
        outcomes.push({
          ...base,
          subKey: 'size',
          severity: 'info',
          status: 'fail',
          message: `Policies of ${role.name} are near their size quota (${near.join(', ')}); edits that add statements may be refused.`,
          evidence: {nearQuota: near},
        })
      }
      if (copies.length === 0 && fullPolicies.length === 0 && near.length === 0) {
        outcomes.push({
          ...base,
          status: 'pass',
          message: `Policies of ${role.name} have no inline copies of EMR managed policies, free version slots and room to grow.`,
        })
      }
    }
    return outcomes
  },
})
