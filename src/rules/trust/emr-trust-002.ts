import {describeStatement, emrPrincipals, serviceTrust} from '../../policy/trust.js'
import {existingRolesOf, roleResource, roleSeverity, scopeFor} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {checkConfusedDeputy, checkDenyProtection, combine} from './confused-deputy.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

const CLASSES = ['SVC', 'STUDIO_SVC', 'NB'] as const

export default defineRule({
  id: 'EMR-TRUST-002',
  group: 'TRUST',
  title: 'Roles trusted by the EMR service carry confused-deputy conditions',
  severity: 'medium',
  rationale: 'Without aws:SourceAccount / aws:SourceArn, an EMR resource in any account that can name the role could make EMR act with it (confused deputy).',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-notebooks-service-role.html',
  ],
  remediation: {
    summary:
      'iam:UpdateAssumeRolePolicy adding "Condition": {"StringEquals": {"aws:SourceAccount": "<ACCOUNT_ID>"}, "ArnLike": {"aws:SourceArn": "arn:<PARTITION>:elasticmapreduce:*:<ACCOUNT_ID>:*"}} to the EMR statement; keep other statements.',
    autoApply: 'guarded',
  },
  dependsOn: ['iam.authorizationDetails'],
  checks: 'EMR trust conditions',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, {scope}) {
    const {id: account, partition} = inventory.account
    const outcomes: RuleOutcome[] = []
    for (const {role, reasons} of existingRolesOf(scope, [...CLASSES])) {
      const base = {resource: roleResource(role), scope: scopeFor(reasons, [...CLASSES]), severity: roleSeverity(reasons, [...CLASSES], 'medium')}
      const trust = serviceTrust(role.trustPolicy, emrPrincipals(partition))
      const statements = trust.allowing
      if (statements.length === 0) continue // EMR-TRUST-001 reports a role EMR cannot assume.
      const expected = {account, partition, service: 'elasticmapreduce'}
      const protectingDenies = trust.conditionalDenies
        .map((deny) => ({deny, check: checkDenyProtection(deny, expected)}))
        .filter(({check}) => check.sourceAccount === 'present' || check.sourceArn === 'present')
      const checks = statements.map((statement) => ({
        statement,
        check: combine(
          checkConfusedDeputy(statement, expected),
          protectingDenies.map((entry) => entry.check),
        ),
      }))
      const evidence = {
        statements: checks.map(({statement, check}) => ({...describeStatement(statement), sourceAccount: check.sourceAccount, sourceArn: check.sourceArn})),
        ...(protectingDenies.length > 0 ? {protectingDenies: protectingDenies.map(({deny}) => describeStatement(deny))} : {}),
        guard: {
          emrSolePrincipal: statements.every(
            (statement) => Object.keys(statement.principal ?? {}).length === 1 && (statement.principal?.['Service'] ?? []).length === 1,
          ),
        },
      }
      const wrong = checks.filter(({check}) => check.sourceAccount === 'wrong' || check.sourceArn === 'wrong')
      const unguarded = checks.filter(({check}) => check.sourceAccount === 'missing' && check.sourceArn === 'missing')
      const partial = checks.filter(({check}) => (check.sourceAccount === 'missing') !== (check.sourceArn === 'missing'))
      if (wrong.length > 0) {
        outcomes.push({
          ...base,
          status: 'fail',
          message: `Trust of ${role.name} limits EMR with aws:SourceAccount/aws:SourceArn values that are not this account (${account}); correct them.`,
          evidence,
        })
      } else if (unguarded.length > 0) {
        outcomes.push({
          ...base,
          status: 'fail',
          message: `Trust of ${role.name} lets EMR assume it without aws:SourceAccount or aws:SourceArn; add both conditions for account ${account}.`,
          evidence,
        })
      } else if (partial.length > 0) {
        outcomes.push({
          ...base,
          status: 'pass',
          message: `Trust of ${role.name} has one of aws:SourceAccount / aws:SourceArn (partial); adding the other is recommended.`,
          evidence: {...evidence, partial: true},
        })
      } else {
        outcomes.push({
          ...base,
          status: 'pass',
          message: `Trust of ${role.name} limits EMR to account ${account} with aws:SourceAccount and aws:SourceArn.`,
          evidence,
        })
      }
    }
    return outcomes
  },
})
