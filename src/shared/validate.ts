import type {TSchema} from '@sinclair/typebox'
import {Value} from '@sinclair/typebox/value'
import {UserInputError} from './errors.js'

export interface SchemaProblem {
  /** JSON-pointer-like path, e.g. `/studios/0/authMode`. */
  path: string
  message: string
}

/** All the ways `value` breaks `schema`, each naming the place (first few only, to keep messages short). */
export function schemaProblems(schema: TSchema, value: unknown, limit = 5): SchemaProblem[] {
  const problems: SchemaProblem[] = []
  for (const error of Value.Errors(schema, value)) {
    problems.push({path: error.path || '/', message: error.message})
    if (problems.length >= limit) break
  }
  return problems
}

/** `/studios/0/authMode` → `studios[0].authMode`, the way a person reads their YAML. */
export function readablePath(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('')
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** JSON text as files hold it: editors on Windows start a UTF-8 file with a byte-order mark, which JSON.parse rejects. */
export function parseJsonText(text: string): unknown {
  return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text)
}

/**
 * Reads and parses a JSON file; an unreadable or malformed file is a UserInputError naming it. With
 * `maxBytes`, only a regular file that small is read (src/shared/files.ts readRegularFile).
 */
export async function readJsonFile(path: string, what: string, maxBytes?: number): Promise<unknown> {
  const [{readFile}, {readRegularFile}] = await Promise.all([import('node:fs/promises'), import('./files.js')])
  try {
    return parseJsonText(maxBytes === undefined ? await readFile(path, 'utf8') : await readRegularFile(path, maxBytes))
  } catch (error) {
    if (error instanceof UserInputError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new UserInputError(code ? `cannot read ${what} ${path}: ${code}` : `${path}: not valid JSON (${(error as Error).message})`)
  }
}

/**
 * A document emr-audit wrote (plan, journal): its schemaVersion first, then the schema, the first problem
 * named. `older` says what to do with a file an older emr-audit wrote.
 */
export async function readVersionedDocument<T>(path: string, what: string, schema: TSchema, version: number, older?: string): Promise<T> {
  const {DOCUMENT_MAX_BYTES} = await import('./files.js')
  const value = await readJsonFile(path, what, DOCUMENT_MAX_BYTES)
  const found = (value as {schemaVersion?: unknown} | null)?.schemaVersion
  if (older && typeof found === 'number' && Number.isInteger(found) && found >= 1 && found < version) {
    throw new UserInputError(`${path}: this ${what} was made by an older emr-audit (schemaVersion ${found}; this emr-audit reads version ${version}); ${older}`)
  }
  if (typeof value !== 'object' || value === null || found !== version) {
    throw new UserInputError(`${path}: not an emr-audit ${what} (schemaVersion ${JSON.stringify(found)}; this emr-audit reads version ${version})`)
  }
  const [problem] = schemaProblems(schema, value)
  if (problem) throw new UserInputError(`${path}: invalid ${what} at ${readablePath(problem.path) || 'top level'}: ${problem.message.toLowerCase()}`)
  return value as T
}
