/**
 * The planner's last gate on what --apply may run, tested with a stand-in remediation: the shipped modules
 * only fix rules the catalog marks yes or guarded (remediations/types.ts), so none of them reaches it.
 */
import {describe, expect, it} from 'vitest'
import {emptyInventory} from '../../test/fixtures/inventory.js'
import {finding} from '../../test/fixtures/report.js'
import type {Finding} from '../findings/types.js'
import {planFixes} from './planner.js'
import {REMEDIATIONS} from './remediations/index.js'
import type {Proposal, Remediation} from './remediations/types.js'

/** Proposes one inline policy per finding, for the rules its evidence names, under the policy name it names. */
const standIn: Remediation = {
  ruleIds: ['EMR-ROLE-001', 'EMR-NOPE-999', 'EMR-TRUST-003'],
  changes: [{kind: 'put-role-policy', writes: ['iam:PutRolePolicy'], inverse: ['iam:DeleteRolePolicy', 'iam:PutRolePolicy']}],
  plan: (findings) => ({
    proposals: findings.map((entry): Proposal => ({
      kind: 'put-role-policy',
      region: 'global',
      target: {type: 'iam-role', id: 'svc', name: 'svc', arn: 'arn:aws:iam::123456789012:role/svc'},
      policyName: entry.evidence['policyName'] as string,
      ruleIds: entry.evidence['ruleIds'] as string[],
      findings: [entry.fingerprint],
      summary: 'grant',
      before: {kind: 'policy-document', document: null},
      after: {
        kind: 'policy-document',
        document: {
          Version: '2012-10-17',
          Statement: [{Sid: 'EmrAudit', Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/x'}],
        },
      },
      guards: [],
    })),
    declined: [],
  }),
}

/**
 * The stand-in joins the registry for one plan only. Not vi.mock: the mutation runs share modules between
 * test files (vitest.mutate.config.mjs, isolate: false), where a module mock does not take.
 */
function withStandIn<T>(run: () => T): T {
  const registry = REMEDIATIONS as Remediation[]
  registry.push(standIn)
  try {
    return run()
  } finally {
    registry.splice(registry.indexOf(standIn), 1)
  }
}

const failing = (ruleId: string, id: string, ruleIds: string[], policyName = `emr-audit-${id}`): Finding =>
  finding(ruleId, 'high', 'fail', id, {evidence: {ruleIds, policyName}})

const planOf = (...findings: Finding[]) => withStandIn(() => planFixes(findings, emptyInventory(), {config: {}, now: new Date('2026-11-23T12:00:00Z')}).changes)

describe('the planner, for a change its rules do not let it apply', () => {
  it('shows a change for a rule the catalog marks advisory, never applies it', () => {
    // EMR-ROLE-001 is advisory in the catalog (REQUIREMENTS: "Auto-apply: no (advisory)") and has no note of its own.
    const [change] = planOf(failing('EMR-ROLE-001', 'a', ['EMR-ROLE-001']))
    expect(change).toMatchObject({autoApply: 'no', disposition: 'advisory', reason: 'the catalog marks this remediation advisory'})
  })

  it('treats a rule the catalog does not know as advisory', () => {
    const [change] = planOf(failing('EMR-NOPE-999', 'b', ['EMR-NOPE-999']))
    expect(change).toMatchObject({autoApply: 'no', disposition: 'advisory', reason: 'the catalog marks this remediation advisory'})
  })

  it("gives the note of the rule that makes it advisory, not another rule's note", () => {
    // EMR-PASSROLE-001 (guarded) has a note too; EMR-TRUST-003's note is the one saying why nothing is applied.
    const [change] = planOf(failing('EMR-TRUST-003', 'c', ['EMR-NOPE-999', 'EMR-PASSROLE-001', 'EMR-TRUST-003']))
    expect(change?.disposition).toBe('advisory')
    expect(change?.reason).toMatch(
      /^stricter than the catalog's guarded: adding a principal to a trust widens who may assume the role, .*for a person to apply$/,
    )
  })

  it('gives two inline policies on one role two ids', () => {
    const changes = planOf(
      failing('EMR-ROLE-001', 'svc', ['EMR-ROLE-001'], 'emr-audit-one'),
      failing('EMR-ROLE-001', 'svc2', ['EMR-ROLE-001'], 'emr-audit-two'),
    )
    expect(changes.map((change) => change.policyName).sort()).toEqual(['emr-audit-one', 'emr-audit-two'])
    expect(new Set(changes.map((change) => change.id)).size).toBe(2)
  })
})
