import type {AwsSecurityFinding} from '@aws-sdk/client-securityhub'
import {describe, expect, it} from 'vitest'
import {batchesOf, MAX_FINDINGS_PER_BATCH, planImport} from './security-hub-plan.js'

const NOW = '2026-11-29T12:00:00.000Z'
const finding = (id: string, status: string, extra: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding =>
  ({
    Id: id,
    Region: 'us-east-1',
    CreatedAt: '2026-11-29T11:00:00.000Z',
    UpdatedAt: '2026-11-29T11:00:00.000Z',
    Compliance: {Status: status},
    ...extra,
  }) as AwsSecurityFinding

describe('planImport', () => {
  it('imports every failing finding as ACTIVE and keeps the CreatedAt of its first import', () => {
    const plan = planImport(
      [finding('a', 'FAILED'), finding('b', 'FAILED')],
      [{id: 'a', createdAt: '2026-01-01T00:00:00.000Z', complianceStatus: 'FAILED', recordState: 'ACTIVE'}],
      NOW,
    )
    expect(plan.failing.map((f) => [f.Id, f.RecordState, f.CreatedAt, f.UpdatedAt])).toEqual([
      ['a', 'ACTIVE', '2026-01-01T00:00:00.000Z', NOW],
      ['b', 'ACTIVE', '2026-11-29T11:00:00.000Z', NOW],
    ])
    expect(plan.resolved).toEqual([])
  })

  it('closes a finding imported earlier that passes now: PASSED and ARCHIVED', () => {
    const plan = planImport(
      [finding('a', 'PASSED')],
      [{id: 'a', createdAt: '2026-01-01T00:00:00.000Z', complianceStatus: 'FAILED', recordState: 'ACTIVE'}],
      NOW,
    )
    expect(plan.resolved).toHaveLength(1)
    expect(plan.resolved[0]).toMatchObject({
      Id: 'a',
      RecordState: 'ARCHIVED',
      Compliance: {Status: 'PASSED'},
      CreatedAt: '2026-01-01T00:00:00.000Z',
      UpdatedAt: NOW,
    })
    expect(plan.failing).toEqual([])
  })

  it('sends nothing for a pass Security Hub never heard of', () => {
    const plan = planImport([finding('a', 'PASSED')], [], NOW)
    expect([...plan.failing, ...plan.resolved]).toEqual([])
  })

  it('never lets an inconclusive result overwrite an earlier failure: it is left open, not sent', () => {
    const previous = [
      {id: 'a', complianceStatus: 'FAILED', recordState: 'ACTIVE'},
      {id: 'b', complianceStatus: 'FAILED', recordState: 'ACTIVE'},
    ]
    const plan = planImport([finding('a', 'NOT_AVAILABLE'), finding('b', 'WARNING')], previous, NOW)
    expect([...plan.failing, ...plan.resolved]).toEqual([])
    expect(plan.leftOpen).toEqual(['a', 'b'])
  })

  it('leaves open a finding not evaluated in this run (rule not selected, resource gone)', () => {
    const plan = planImport([finding('a', 'FAILED')], [{id: 'gone', complianceStatus: 'FAILED', recordState: 'ACTIVE'}], NOW)
    expect(plan.leftOpen).toEqual(['gone'])
    expect(plan.failing.map((f) => f.Id)).toEqual(['a'])
  })

  it('never sends a finding larger than the 240 KB Security Hub accepts', () => {
    const huge = finding('big', 'FAILED', {Description: 'x'.repeat(250 * 1024)})
    const plan = planImport([huge, finding('small', 'FAILED')], [], NOW)
    expect(plan.oversized).toEqual(['big'])
    expect(plan.failing.map((f) => f.Id)).toEqual(['small'])
  })
})

describe('batchesOf', () => {
  // https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html:
  // up to 100 findings per batch and up to 6 MB per batch.
  it('cuts at 100 findings', () => {
    const findings = Array.from({length: 250}, (_, index) => finding(`f${index}`, 'FAILED'))
    expect(batchesOf(findings).map((batch) => batch.length)).toEqual([MAX_FINDINGS_PER_BATCH, MAX_FINDINGS_PER_BATCH, 50])
    expect(
      batchesOf(findings)
        .flat()
        .map((f) => f.Id),
    ).toEqual(findings.map((f) => f.Id))
  })

  it('cuts before a batch would pass 6 MB', () => {
    const findings = Array.from({length: 40}, (_, index) => finding(`f${index}`, 'FAILED', {Description: 'y'.repeat(200 * 1024)}))
    const batches = batchesOf(findings)
    expect(batches.length).toBeGreaterThan(1)
    for (const batch of batches) expect(Buffer.byteLength(JSON.stringify({Findings: batch}))).toBeLessThanOrEqual(6 * 1024 * 1024)
    expect(batches.flat()).toHaveLength(40)
  })

  it('makes no batch of nothing', () => {
    expect(batchesOf([])).toEqual([])
  })
})
