import {conditionValuesFor} from '../../policy/conditions.js'
import {statementsOf} from '../../policy/document.js'
import {iamCollected, iamSnapshotUnknown, roleResource} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {applicationScopedConfiguration, runtimePairs} from './pairing.js'

export default defineRule({
  id: 'EMR-RUNTIME-005',
  group: 'RUNTIME',
  title: 'sts:ExternalId conditions match the security configuration',
  severity: 'high',
  rationale: 'EMR generates an ExternalId per runtime-role security configuration; a runtime role whose trust expects another value cannot be assumed on that cluster.',
  sources: ['seed 003'],
  remediation: {summary: 'iam:UpdateAssumeRolePolicy with the ExternalId that DescribeSecurityConfiguration shows.', autoApply: 'no'},
  dependsOn: ['emr.clusters'],
  evaluate(inventory, {index, scope}) {
    if (!iamCollected(index)) return iamSnapshotUnknown(inventory, 'runtime role ExternalId conditions')
    const outcomes: RuleOutcome[] = []
    for (const pair of runtimePairs(inventory, index, scope).pairs) {
      if (!pair.runtime) continue
      const expected = [...new Set(pair.clusters.flatMap((entry) => applicationScopedConfiguration(entry.body).externalId ?? []))]
      const conditioned = statementsOf(pair.runtime.trustPolicy).filter((statement) => statement.effect === 'Allow').flatMap((statement) => conditionValuesFor(statement.condition, ['StringEquals', 'StringLike'], 'sts:ExternalId'))
      const base = {resource: roleResource(pair.runtime), subKey: pair.ec2Role.name, evidence: {configurationExternalIds: expected, trustExternalIds: conditioned, clusters: pair.clusters.map((entry) => entry.cluster.id)}}
      if (conditioned.length === 0) {
        outcomes.push({...base, status: 'pass', severity: 'info', message: `Runtime role ${pair.runtime.name} has no sts:ExternalId condition (optional per-tenant isolation).`})
      } else if (expected.length === 0) {
        outcomes.push({...base, status: 'unknown', message: `Runtime role ${pair.runtime.name} expects an sts:ExternalId, but the security configuration's ExternalId is not in the scan.`})
      } else if (expected.every((id) => conditioned.includes(id))) {
        outcomes.push({...base, status: 'pass', message: `The sts:ExternalId in the trust of ${pair.runtime.name} matches the security configuration.`})
      } else {
        outcomes.push({...base, status: 'fail', message: `The trust of ${pair.runtime.name} expects sts:ExternalId ${conditioned.join(', ')}, but its clusters' security configuration uses ${expected.join(', ')}; steps cannot assume it.`})
      }
    }
    return outcomes
  },
})
