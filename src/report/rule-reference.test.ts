import {describe, expect, it} from 'vitest'
import type {RuleMetadata} from '../rules/types.js'
import {renderRuleDetail, renderRuleReferenceMarkdown} from './rule-reference.js'

const rule = (extra: Partial<RuleMetadata> = {}): RuleMetadata => ({
  id: 'EMR-TRUST-001',
  group: 'TRUST',
  title: 'Cluster service role trusts the EMR principal',
  severity: 'critical',
  rationale: 'EMR cannot assume it.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html'],
  remediation: {summary: 'iam:UpdateAssumeRolePolicy', autoApply: 'no'},
  ...extra,
})

describe('why a rule’s auto-apply differs from the catalog', () => {
  it('is shown under the auto-apply class by `rules ID`', () => {
    const detail = renderRuleDetail(rule({autoApplyNote: "stricter than the catalog's guarded: a trust change | takes effect at once"}))
    expect(detail).toContain("Auto-apply:  no (advisory)\n             (stricter than the catalog's guarded: a trust change | takes effect at once)\n")
    expect(renderRuleDetail(rule())).toContain('Auto-apply:  no (advisory)\nSources:')
  })

  it('is in the auto-apply cell of the rule reference, escaped for the table', () => {
    const row = renderRuleReferenceMarkdown([rule({autoApplyNote: 'a | b'})]).split('\n')[2]
    // Columns: id, severity, auto-apply, title, why, compliance (none here), sources (each page linked by its name).
    expect(row).toBe(
      '| EMR-TRUST-001 | critical | no (advisory) (a \\| b) | Cluster service role trusts the EMR principal | EMR cannot assume it. |  | [emr-iam-role](https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html) |',
    )
  })
})
