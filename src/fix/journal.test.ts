import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {defaultJournalPath, JournalFile, readJournal} from './journal.js'
import {journalDigest} from './verify.js'
import type {Change, JournalEntry} from './types.js'

const ACCOUNT = '123456789012'
const META = {account: ACCOUNT, partition: 'aws', homeRegion: 'us-east-1', startedAt: '2026-11-23T00:00:00Z'}
const V2 = {key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}

/** An [apply] tag change exactly as the planner makes one, so the journal passes the rollback checks. */
function tagChange(id: string): Change {
  return {
    id: id.slice(-1).repeat(12),
    kind: 'tag-ec2-resource',
    account: ACCOUNT,
    region: 'us-east-1',
    target: {type: 'ec2-subnet', id, region: 'us-east-1'},
    ruleIds: ['EMR-TAG-001'],
    findings: ['f'.repeat(32)],
    summary: `Tag ${id}`,
    calls: [{operation: 'ec2:CreateTags', parameters: {Resources: [id], Tags: [{Key: V2.key, Value: V2.value}]}}],
    before: {kind: 'tags', tags: []},
    after: {kind: 'tags', tags: [V2]},
    autoApply: 'guarded',
    guards: [{name: 'ownedByAccount', held: true, detail: 'owned'}],
    disposition: 'apply',
  }
}

const entryFor = (change: Change): JournalEntry => ({
  change,
  state: 'intent',
  beforeImage: change.before,
  appliedAt: '2026-11-23T00:00:01Z',
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emr-audit-journal-'))
})

describe('the journal file', () => {
  it('is written before any change, empty, with the run it belongs to and a digest of its content', async () => {
    const path = join(dir, 'journal.json')
    await JournalFile.create(path, META)
    const written = JSON.parse(readFileSync(path, 'utf8'))
    expect(written).toMatchObject({schemaVersion: 2, tool: {name: 'emr-audit'}, ...META, entries: []})
    expect(written.finishedAt).toBeUndefined()
    expect(written.digest).toBe(journalDigest(written))
    expect((await readJournal(path)).entries).toEqual([])
  })

  it('never overwrites an existing file', async () => {
    const path = join(dir, 'journal.json')
    writeFileSync(path, 'keep me')
    await expect(JournalFile.create(path, META)).rejects.toThrow(/already exists; choose another --journal path/)
    expect(readFileSync(path, 'utf8')).toBe('keep me')
  })

  it('is on disk after each record, update, rollback mark and finish', async () => {
    const path = join(dir, 'journal.json')
    const file = await JournalFile.create(path, META)
    const entry = entryFor(tagChange('subnet-1'))
    await file.record(entry)
    expect((await readJournal(path)).entries).toEqual([entryFor(tagChange('subnet-1'))])

    await file.update(entry, {state: 'applied', afterImage: {kind: 'tags', tags: [V2]}})
    expect((await readJournal(path)).entries[0]).toMatchObject({state: 'applied', afterImage: {kind: 'tags', tags: [V2]}})

    await file.markRolledBack(entry, '2026-11-23T00:00:02Z')
    expect((await readJournal(path)).entries[0]?.rolledBackAt).toBe('2026-11-23T00:00:02Z')

    await file.finish('2026-11-23T00:00:03Z')
    expect((await readJournal(path)).finishedAt).toBe('2026-11-23T00:00:03Z')
  })

  it('drops only the discarded intent', async () => {
    const path = join(dir, 'journal.json')
    const file = await JournalFile.create(path, META)
    const kept = entryFor(tagChange('subnet-1'))
    const dropped = entryFor(tagChange('subnet-2'))
    await file.record(kept)
    await file.record(dropped)
    await file.discard(dropped)
    expect((await readJournal(path)).entries.map((entry) => entry.change.target.id)).toEqual(['subnet-1'])
  })

  it('keeps every one of several changes recorded at once', async () => {
    const path = join(dir, 'journal.json')
    const file = await JournalFile.create(path, META)
    await Promise.all(['subnet-1', 'subnet-2', 'subnet-3'].map((id) => file.record(entryFor(tagChange(id)))))
    expect((await readJournal(path)).entries.map((entry) => entry.change.target.id)).toEqual(['subnet-1', 'subnet-2', 'subnet-3'])
  })

  it('opens an existing journal for rollback with its entries', async () => {
    const path = join(dir, 'journal.json')
    const file = await JournalFile.create(path, META)
    await file.record(entryFor(tagChange('subnet-1')))
    const opened = await JournalFile.open(path)
    expect(opened.path).toBe(path)
    expect(opened.journal.entries.map((entry) => entry.change.target.id)).toEqual(['subnet-1'])
  })

  it('is refused whole when it was edited after it was written', async () => {
    const path = join(dir, 'journal.json')
    const file = await JournalFile.create(path, META)
    await file.record(entryFor(tagChange('subnet-1')))
    const edited = JSON.parse(readFileSync(path, 'utf8'))
    edited.entries[0].change.target.id = 'subnet-2'
    writeFileSync(path, JSON.stringify(edited))
    await expect(readJournal(path)).rejects.toThrow(/journal\.json: refused, nothing was changed: it was edited after emr-audit wrote it/)
  })
})

describe('the default journal path', () => {
  it('is a UTC timestamp to the second in the working directory', () => {
    expect(defaultJournalPath(new Date('2026-11-23T15:45:00.123Z'))).toBe('emr-audit-journal-20261123T154500Z.json')
    expect(defaultJournalPath(new Date('2026-01-02T03:04:05Z'))).toBe('emr-audit-journal-20260102T030405Z.json')
  })
})
