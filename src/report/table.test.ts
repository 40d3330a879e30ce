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
  const report = buildReport(
    inventory,
    [
      finding('EMR-TRUST-002', 'medium'),
      finding('EMR-PROFILE-001', 'critical'),
      finding('EMR-TRUST-006', 'high', 'unknown'),
      finding('EMR-TRUST-005', 'high'),
      finding('EMR-TAG-003', 'high'),
    ],
    {includePassed: false},
  )

  it('groups by severity, most severe first, and says the gaps and a summary', () => {
    const text = renderTable(report, {color: false})
    const headings = text.split('\n').filter((line) => /^[A-Z]+ \(.*\)$/.test(line))
    // A heading counts by status in the summary's words: "2 failing" under HIGH is the summary's "2 high".
    expect(headings).toEqual(['CRITICAL (1 failing)', 'HIGH (2 failing, 1 unknown)', 'MEDIUM (1 failing)'])
    expect(text).toContain('? EMR-TRUST-006')
    expect(text).toContain('[unknown]')
    expect(text).toContain('emr.studios us-east-1: unsupported elasticmapreduce:ListStudios')
    expect(text).toContain('Summary: 4 failing (1 critical, 2 high, 1 medium), 1 unknown, 0 errors, 0 suppressed, 0 passed · 1 coverage gaps')
    expect(text).not.toContain('\u001b[')
  })

  // A hostile account or plan can yield more findings than a spread call accepts as arguments.
  it('renders a severity with hundreds of thousands of findings without overflowing the stack', () => {
    const many = Array.from({length: 200_000}, (_, index) => ({...finding('EMR-LAUNCH-003', 'high'), subKey: `sg-${index}`}))
    const text = renderTable(buildReport(emptyInventory(), many, {includePassed: false}), {color: false})
    expect(text).toContain('HIGH (200000 failing)')
  }, 30_000)

  it('colours only when asked', () => {
    expect(renderTable(report, {color: true})).toContain('\u001b[')
  })

  it('colour only on a TTY, and never with NO_COLOR or TERM=dumb', () => {
    expect(shouldColor({isTTY: true}, {})).toBe(true)
    expect(shouldColor({isTTY: false}, {})).toBe(false)
    expect(shouldColor({isTTY: true}, {NO_COLOR: '1'})).toBe(false)
    expect(shouldColor({isTTY: true}, {TERM: 'dumb'})).toBe(false)
  })

  it('--color/--no-color decide first, then FORCE_COLOR (which beats NO_COLOR, as in Node), then the terminal', () => {
    expect(shouldColor({isTTY: false}, {}, true)).toBe(true)
    expect(shouldColor({isTTY: true}, {FORCE_COLOR: '1'}, false)).toBe(false)
    expect(shouldColor({isTTY: false}, {FORCE_COLOR: '1'})).toBe(true)
    expect(shouldColor({isTTY: false}, {FORCE_COLOR: ''})).toBe(true)
    expect(shouldColor({isTTY: false}, {FORCE_COLOR: '1', NO_COLOR: '1'})).toBe(true)
    expect(shouldColor({isTTY: true}, {FORCE_COLOR: '0'})).toBe(false)
    expect(shouldColor({isTTY: true}, {FORCE_COLOR: 'false'})).toBe(false)
  })

  it('lists what the run left out, with the reason a rule was disabled', () => {
    const selected = buildReport(inventory, [finding('EMR-TAG-003', 'high')], {
      includePassed: false,
      selection: {
        disabled: [{ruleId: 'EMR-SECCFG-006', reason: 'no Kerberos realm in this org'}],
        notSelected: ['EMR-ROLE-001'],
        severities: ['critical', 'high'],
      },
    })
    const text = renderTable(selected, {color: false})
    expect(text).toContain('Not evaluated: EMR-SECCFG-006, disabled in the config: no Kerberos realm in this org')
    expect(text).toContain('Not evaluated (1 rules left out by --checks, --exclude-checks or --groups): EMR-ROLE-001')
    expect(text).toContain('Only critical, high findings reported (--severity)')
    expect(renderTable(report, {color: false})).not.toContain('Not evaluated')
  })
})
