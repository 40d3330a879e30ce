import {describe, expect, it} from 'vitest'
import {DEMO_INVENTORY} from '../app/demo.js'
import {expectedSources} from '../app/scan.js'
import {readInventory} from '../inventory/io.js'
import type {SourceOutcome} from '../inventory/schema.js'
import {liveProgress, plainProgress} from './progress.js'

function recorder(isTTY: boolean) {
  const writes: string[] = []
  return {writes, stream: Object.assign(Object.create(process.stderr) as NodeJS.WriteStream, {isTTY, write: (text: string) => writes.push(text) > 0})}
}

const done = (source: SourceOutcome['source'], region: string): SourceOutcome => ({source, region, status: 'ok'})

describe('progress off a terminal (CI logs)', () => {
  it('says when a source finishes, at most every 10 s, and when the scan ends', () => {
    let clock = 0
    const {writes, stream} = recorder(false)
    const progress = plainProgress(stream, {now: () => clock})
    progress.started('', expectedSources(['us-east-1', 'eu-west-1']))
    expect(writes).toEqual([])
    clock = 4_000
    progress.sourceDone('', done('iam.authorizationDetails', 'global'))
    expect(writes).toEqual([])
    clock = 10_000
    progress.sourceDone('', done('sts.identity', 'global'))
    expect(writes).toEqual(['emr-audit progress: scanning global 2/6, us-east-1 0/13, eu-west-1 0/13 sources · 10s\n'])
    clock = 14_500
    progress.sourceDone('', done('emr.clusters', 'us-east-1'))
    expect(writes).toHaveLength(1)
    clock = 20_000
    progress.sourceDone('', done('emr.clusters', 'eu-west-1'))
    expect(writes[1]).toBe('emr-audit progress: scanning global 2/6, us-east-1 1/13, eu-west-1 1/13 sources · 20s\n')
    clock = 25_000
    progress.sourceDone('', done('emr.steps', 'eu-west-1'))
    expect(writes).toHaveLength(2)
    // Nothing finishing means nothing new to say: no line, however long it takes.
    clock = 60_000
    expect(writes).toHaveLength(2)
    progress.sourceDone('', done('emr.studios', 'eu-west-1'))
    expect(writes[2]).toBe('emr-audit progress: scanning global 2/6, us-east-1 1/13, eu-west-1 3/13 sources · 60s\n')
    progress.finished('', true)
    expect(writes[3]).toBe('emr-audit progress: scanned in 60s\n')
  })

  it('says nothing of a scan that stopped: its error is the one line to read', () => {
    const {writes, stream} = recorder(false)
    const progress = plainProgress(stream, {now: () => 0})
    progress.started('', expectedSources(['us-east-1']))
    progress.finished('', false)
    expect(writes).toEqual([])
  })

  it('counts a source once, and not the ones it was not waiting for', () => {
    let clock = 0
    const {writes, stream} = recorder(false)
    const progress = plainProgress(stream, {now: () => clock, plainIntervalMs: 0})
    progress.started('111111111111', expectedSources(['us-east-1']))
    clock = 1_000
    progress.sourceDone('111111111111', done('kms.keys', 'us-east-1'))
    progress.sourceDone('111111111111', done('kms.keys', 'us-east-1'))
    progress.sourceDone('111111111111', done('kms.keys', 'eu-west-3'))
    progress.sourceDone('111111111111', done('emr.studioSessionMappings', 'us-east-1'))
    expect(writes).toEqual(['emr-audit progress: scanning account 111111111111 global 0/6, us-east-1 1/13 sources · 1s\n'])
  })

  it('prints an account id only when it is one', () => {
    const {writes, stream} = recorder(false)
    const progress = plainProgress(stream, {now: () => 0})
    progress.started('12345678901\u001b[2J', expectedSources(['us-east-1']))
    progress.finished('12345678901\u001b[2J', true)
    expect(writes).toEqual(['emr-audit progress: scanned account (malformed id) in 0s\n'])
  })
})

describe('the sources progress counts', () => {
  it('are sources a scan records (the demo account was scanned for real), so a finished region reads 13/13', async () => {
    const inventory = await readInventory(DEMO_INVENTORY)
    const recorded = new Set(inventory.coverage.map((outcome) => `${outcome.source}|${outcome.region}`))
    const missing = expectedSources(inventory.regions).filter(({source, region}) => !recorded.has(`${source}|${region}`))
    expect(missing).toEqual([])
  })
})

describe('progress on a terminal', () => {
  it('keeps one live line per account and region, redrawn in place, and erases them at the end', () => {
    let clock = 0
    const {writes, stream} = recorder(true)
    const progress = liveProgress(stream, {now: () => clock, tickMs: 60_000})
    progress.started('', expectedSources(['us-east-1']))
    expect(writes.join('')).toBe('⠿ global           0/6 sources  0s\n⠿ us-east-1        0/13 sources  0s\n')
    writes.length = 0
    clock = 2_500
    progress.sourceDone('', done('ec2.vpcs', 'us-east-1'))
    // Up two lines, clear to the end of the screen, draw again.
    expect(writes.join('')).toBe('\u001b[2A\u001b[0J⠿ global           0/6 sources  2s\n⠿ us-east-1        1/13 sources  2s\n')
    writes.length = 0
    progress.finished('', true)
    progress.stop()
    expect(writes.join('')).toBe('\u001b[2A\u001b[0J')
  })

  it('never draws a line wider than the terminal (a wrapped line could not be erased)', () => {
    const {writes, stream} = recorder(true)
    const progress = liveProgress(Object.assign(stream, {columns: 30}), {now: () => 0, tickMs: 60_000})
    progress.started('111111111111', expectedSources(['us-east-1']))
    progress.stop()
    const lines = writes[0]?.split('\n').filter(Boolean) ?? []
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(29)
  })
})
