import {APPLICATION_AUTOSCALING_PRINCIPAL, describeStatement, emrPrincipals, serviceTrust} from '../../policy/trust.js'
import {existingRolesOf, roleResource, roleSeverity, scopeFor} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {checkConfusedDeputy} from './confused-deputy.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

export default defineRule({
  id: 'EMR-TRUST-004',
  group: 'TRUST',
  title: 'Auto Scaling role trusts both EMR and Application Auto Scaling',
  severity: 'high',
  rationale:
    'Automatic scaling needs both services to assume the role; the confused-deputy conditions on the Application Auto Scaling statement are recommended.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-defaultroles.html',
  ],
  remediation: {
    summary:
      'iam:UpdateAssumeRolePolicy adding the missing principal (and aws:SourceAccount / aws:SourceArn on the Application Auto Scaling statement), keeping other statements. Only the conditions are added automatically, guarded as EMR-TRUST-002: a missing principal would widen the trust and is left to a person.',
    autoApply: 'guarded',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'Auto Scaling role trust',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, {scope}) {
    const {id: account, partition} = inventory.account
    const outcomes: RuleOutcome[] = []
    for (const {role, reasons} of existingRolesOf(scope, ['ASG'])) {
      const base = {resource: roleResource(role), scope: scopeFor(reasons, ['ASG'])}
      const emr = serviceTrust(role.trustPolicy, emrPrincipals(partition))
      const autoscaling = serviceTrust(role.trustPolicy, [APPLICATION_AUTOSCALING_PRINCIPAL])
      const missing = [...(emr.trusted ? [] : [emrPrincipals(partition)[0]]), ...(autoscaling.trusted ? [] : [APPLICATION_AUTOSCALING_PRINCIPAL])]
      if (missing.length > 0) {
        outcomes.push({
          ...base,
          subKey: 'principals',
          severity: roleSeverity(reasons, ['ASG'], 'high'),
          status: 'fail',
          message: `Auto Scaling role ${role.name} does not trust ${missing.join(' and ')}; automatic scaling fails until it does.`,
          evidence: {missingPrincipals: missing},
        })
        continue
      }
      const checks = autoscaling.allowing.map((statement) => ({
        statement,
        check: checkConfusedDeputy(statement, {account, partition, service: 'application-autoscaling', resourcePrefix: 'scalable-target/'}),
      }))
      const evidence = {
        statements: checks.map(({statement, check}) => ({...describeStatement(statement), sourceAccount: check.sourceAccount, sourceArn: check.sourceArn})),
      }
      const severity = roleSeverity(reasons, ['ASG'], 'medium')
      const none = checks.some(({check}) => check.sourceAccount !== 'present' && check.sourceArn !== 'present')
      const partial = checks.some(({check}) => (check.sourceAccount === 'present') !== (check.sourceArn === 'present'))
      if (none) {
        outcomes.push({
          ...base,
          subKey: 'conditions',
          severity,
          status: 'fail',
          message: `Auto Scaling role ${role.name} lets Application Auto Scaling assume it without aws:SourceAccount ${account} or an aws:SourceArn of this account's scalable targets; add them.`,
          evidence,
        })
      } else {
        outcomes.push({
          ...base,
          subKey: 'conditions',
          severity,
          status: 'pass',
          message: partial
            ? `Auto Scaling role ${role.name} trusts both services; only one of aws:SourceAccount / aws:SourceArn limits Application Auto Scaling (partial).`
            : `Auto Scaling role ${role.name} trusts both services, with confused-deputy conditions.`,
          evidence: {...evidence, ...(partial ? {partial: true} : {})},
        })
      }
    }
    return outcomes
  },
})
