/**
 * The journal of an --apply run: every applied change with its before- and after-image, rewritten
 * (atomically) after each change, so an interrupted run still leaves a complete record to roll back from.
 */
import {UserInputError} from '../shared/errors.js'
import {forLog, jsonText} from '../shared/escape.js'
import {createPrivateFile, refuseSymlink, writeJsonFile} from '../shared/files.js'
import {TOOL_NAME, toolVersion} from '../shared/version.js'
import {readVersionedDocument} from '../shared/validate.js'
import {type Journal, type JournalEntry, JOURNAL_SCHEMA_VERSION, JournalSchema} from './types.js'
import {journalDigest, journalProblem} from './verify.js'

export class JournalFile {
  private queue: Promise<void> = Promise.resolve()

  private constructor(
    readonly path: string,
    readonly journal: Journal,
  ) {}

  /** Creates the file before any change is made; never overwrites an existing one. */
  static async create(path: string, meta: {account: string; partition: string; homeRegion: string; startedAt: string}): Promise<JournalFile> {
    const content: Omit<Journal, 'digest'> = {schemaVersion: JOURNAL_SCHEMA_VERSION, tool: {name: TOOL_NAME, version: toolVersion()}, ...meta, entries: []}
    const journal: Journal = {...content, digest: journalDigest(content)}
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

  /** Serialised: concurrent changes never interleave two writes of the file. The digest is of what is written. */
  private save(): Promise<void> {
    const next = this.queue.then(() => {
      this.journal.digest = journalDigest(this.journal)
      return writeJsonFile(this.path, this.journal)
    })
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

/**
 * A journal read back for rollback, refused whole (before any AWS call) unless its digest holds and every
 * entry is exactly a change emr-audit makes, with the images that change leaves (src/fix/verify.ts).
 */
export async function readJournal(path: string): Promise<Journal> {
  const journal = await readVersionedDocument<Journal>(
    path,
    'journal',
    JournalSchema,
    JOURNAL_SCHEMA_VERSION,
    'roll it back with the emr-audit version that wrote it',
  )
  const problem = journalProblem(journal)
  if (problem) throw new UserInputError(`${forLog(path)}: refused, nothing was changed: ${forLog(problem)}`)
  return journal
}

/** A timestamped file name in the working directory: emr-audit-journal-20261123T154500Z.json. */
export function defaultJournalPath(now: Date): string {
  return `emr-audit-journal-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.json`
}
