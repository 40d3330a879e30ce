/**
 * The journal of an --apply run: every applied change with its before- and after-image, rewritten
 * (atomically) after each change, so an interrupted run still leaves a complete record to roll back from.
 */
import {forLog, jsonText} from '../core/escape.js'
import {createPrivateFile, refuseSymlink, writeJsonFile} from '../core/files.js'
import {TOOL_NAME, toolVersion} from '../core/version.js'
import {readVersionedDocument} from '../core/validate.js'
import {type Journal, type JournalEntry, JOURNAL_SCHEMA_VERSION, JournalSchema} from './types.js'

export class JournalFile {
  private queue: Promise<void> = Promise.resolve()

  private constructor(
    readonly path: string,
    readonly journal: Journal,
  ) {}

  /** Creates the file before any change is made; never overwrites an existing one. */
  static async create(path: string, meta: {account: string; partition: string; homeRegion: string; startedAt: string}): Promise<JournalFile> {
    const journal: Journal = {schemaVersion: JOURNAL_SCHEMA_VERSION, tool: {name: TOOL_NAME, version: toolVersion()}, ...meta, entries: []}
    await createPrivateFile(path, `${jsonText(journal)}\n`, () => `journal ${forLog(path)} already exists; choose another --journal path`)
    const file = new JournalFile(path, journal)
    await file.save()
    return file
  }

  static async open(path: string): Promise<JournalFile> {
    // Before anything is undone: marking entries rolled back rewrites the file.
    await refuseSymlink(path)
    return new JournalFile(path, await readJournal(path))
  }

  /** Serialised: concurrent changes never interleave two writes of the file. */
  private save(): Promise<void> {
    const next = this.queue.then(() => writeJsonFile(this.path, this.journal))
    this.queue = next.catch(() => {})
    return next
  }

  /** Adds an entry and flushes the journal to disk before returning. */
  record(entry: JournalEntry): Promise<void> {
    this.journal.entries.push(entry)
    return this.save()
  }

  update(entry: JournalEntry, patch: Partial<JournalEntry>): Promise<void> {
    Object.assign(entry, patch)
    return this.save()
  }

  /** Drops an intent whose change never reached the target. */
  discard(entry: JournalEntry): Promise<void> {
    this.journal.entries = this.journal.entries.filter((candidate) => candidate !== entry)
    return this.save()
  }

  markRolledBack(entry: JournalEntry, at: string): Promise<void> {
    entry.rolledBackAt = at
    return this.save()
  }

  finish(at: string): Promise<void> {
    this.journal.finishedAt = at
    return this.save()
  }
}

export function readJournal(path: string): Promise<Journal> {
  return readVersionedDocument<Journal>(path, 'journal', JournalSchema, JOURNAL_SCHEMA_VERSION)
}

/** A timestamped file name in the working directory: emr-audit-journal-20261123T154500Z.json. */
export function defaultJournalPath(now: Date): string {
  return `emr-audit-journal-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.json`
}
