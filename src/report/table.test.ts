import {describe, expect, it} from 'vitest'
import {emptyInventory, setCoverage} from '../../test/fixtures/inventory.js'
import type {Finding} from '../findings/types.js'
import {buildReport} from './model.js'
import {renderTable, shouldColor} from './table.js'

const finding = (ruleId: string, severity: Finding['severity'], status: Finding['status'] = 'fail'): Finding => ({
  ruleId,
  title: 't',
  severity,
  status,
  resource: {type: 'iam-role', id: `role-${ruleId}`, name: `role-${ruleId}`},
  message: `message of ${ruleId}`,
  evidence: {},
  remediation: {summary: 's', autoApply: 'no'},
  fingerprint: '0'.repeat(32),
})

describe('the table report', () => {
  const inventory = setCoverage(emptyInventory(), 'emr.studios', 'us-east-1', 'unsupported', 'elasticmapreduce:ListStudios')
  const report = buildReport(inventory, [finding('EMR-TRUST-002', 'medium'), finding('EMR-PROFILE-001', 'critical'), finding('EMR-TRUST-006', 'high', 'unknown')], {includePassed: false})

  it('groups by severity, most severe first, and says the gaps and a summary', () => {
    const text = renderTable(report, {color: false})
    const headings = text.split('\n').filter((line) => /^[A-Z]+ \(\d+\)$/.test(line))
    expect(headings).toEqual(['CRITICAL (1)', 'HIGH (1)', 'MEDIUM (1)'])
    expect(text).toContain('? EMR-TRUST-006')
    expect(text).toContain('[unknown]')
    expect(text).toContain('emr.studios us-east-1: unsupported elasticmapreduce:ListStudios')
    expect(text).toContain('Summary: 2 failing (1 critical, 1 medium), 1 unknown, 0 errors, 0 suppressed, 0 passed · 1 coverage gaps')
    expect(text).not.toContain('\u001b[')
  })

  it('colours only when asked', () => {
    expect(renderTable(report, {color: true})).toContain('\u001b[')
  })

  it('colour only on a TTY, and never with NO_COLOR or TERM=dumb', () => {
    expect(shouldColor({isTTY: true}, {})).toBe(true)
    expect(shouldColor({isTTY: false}, {})).toBe(false)
    expect(shouldColor({isTTY: true}, {NO_COLOR: '1'})).toBe(false)
    expect(shouldColor({isTTY: true}, {TERM: 'dumb'})).toBe(false)
  })
})
