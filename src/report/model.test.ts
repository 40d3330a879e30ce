import {describe, expect, it} from 'vitest'
import {emptyInventory, setCoverage} from '../../test/fixtures/inventory.js'
import {finding} from '../../test/fixtures/report.js'
import type {Finding} from '../findings/types.js'
import {buildReport, combineReports, exitCodeFor, findOverlaps} from './model.js'

const shard = (findings: Finding[], regions = ['us-east-1'], account = '123456789012') => {
  const inventory = setCoverage(emptyInventory(regions), 'emr.studios', regions[0] ?? 'us-east-1', 'unsupported', 'elasticmapreduce:ListStudios')
  inventory.account.id = account
  return buildReport(inventory, findings, {includePassed: true})
}
const trust = (status: Finding['status']) => finding('EMR-TRUST-005', 'critical', status, 'etl-runtime')

describe('merge', () => {
  it.each([
    ['pass', 'fail', 'fail'],
    ['fail', 'pass', 'fail'],
    ['suppressed', 'fail', 'fail'],
    ['unknown', 'error', 'error'],
    ['error', 'fail', 'fail'],
    ['suppressed', 'unknown', 'unknown'],
    ['pass', 'suppressed', 'suppressed'],
  ] as const)('a finding %s in one report and %s in another is %s', (a, b, merged) => {
    const report = combineReports([shard([trust(a)]), shard([trust(b)])])
    expect(report.findings.map((entry) => entry.status)).toEqual([merged])
    expect(report.summary.byStatus[merged]).toBe(1)
  })

  it('a check that passed in one shard and fails in the other counts as a critical failure and fails the run', () => {
    const report = combineReports([shard([trust('pass')]), shard([trust('fail')])])
    expect(report.summary.failingBySeverity.critical).toBe(1)
    expect(report.summary.byStatus.pass).toBe(0)
    expect(exitCodeFor(report, 'critical')).toBe(1)
  })

  it('a failure new in one report and already in the baseline of another stays new and fails the run, whichever comes first', () => {
    const known = {...trust('fail'), baseline: 'existing' as const}
    for (const other of [{...trust('fail'), baseline: 'new' as const}, trust('fail')]) {
      for (const reports of [
        [shard([known]), shard([other])],
        [shard([other]), shard([known])],
      ]) {
        const report = combineReports(reports)
        expect(report.findings.map((entry) => entry.baseline)).toEqual([other.baseline])
        expect(exitCodeFor(report, 'critical')).toBe(1)
      }
    }
  })

  it('of two failures of one check, the more severe is kept, whichever comes first', () => {
    const heuristic = finding('EMR-TRUST-005', 'info', 'fail', 'etl-runtime')
    for (const reports of [
      [shard([heuristic]), shard([trust('fail')])],
      [shard([trust('fail')]), shard([heuristic])],
    ]) {
      const report = combineReports(reports)
      expect(report.findings.map((entry) => entry.severity)).toEqual(['critical'])
      expect(report.summary.failingBySeverity.critical).toBe(1)
    }
  })

  it('coverage is de-duplicated per account, source and region, a gap winning over ok', () => {
    const gap = shard([])
    const clean = buildReport(emptyInventory(), [], {includePassed: true})
    const report = combineReports([gap, gap, clean])
    expect(report.coverage.filter((outcome) => outcome.source === 'emr.studios')).toEqual([
      expect.objectContaining({status: 'unsupported', account: '123456789012'}),
    ])
    expect(report.summary.coverageGaps).toBe(1)
    expect(report.coverage).toHaveLength(gap.coverage.length)
  })

  it('finds reports that cover the same account and region', () => {
    expect(findOverlaps([shard([]), shard([], ['us-east-1', 'eu-west-1'])])).toEqual([{account: '123456789012', regions: ['us-east-1'], reports: [0, 1]}])
    expect(findOverlaps([shard([]), shard([], ['eu-west-1'])])).toEqual([])
    expect(findOverlaps([shard([]), shard([], ['us-east-1'], '210987654321')])).toEqual([])
    // A merged report carries its accounts in sections: merging it again with one of its shards overlaps.
    const merged = combineReports([shard([]), shard([], ['us-east-1'], '210987654321')])
    expect(findOverlaps([merged, shard([], ['us-east-1'], '210987654321')])).toEqual([{account: '210987654321', regions: ['us-east-1'], reports: [0, 1]}])
  })
})
