/**
 * IAM policy documents: decode what IAM returns, and normalise the many shapes a valid document may take
 * (Statement object or array; Action/Resource/Principal values string or array; Principal "*").
 */
import type {PolicyDocument} from '../inventory/schema.js'
import {isPlainObject} from '../shared/validate.js'
import {serviceOf, statementCoversAction} from './match.js'

// Kept here for policy's callers; it lives in shared because inventory, a layer below policy, needs it too.
export {isPlainObject}

export type Effect = 'Allow' | 'Deny'

/** Principal element normalised to lists per principal type; `"*"` becomes `{AWS: ["*"]}` as IAM treats it. */
export type PrincipalMap = Record<string, string[]>

/** A condition block: operator → key → values (all values as strings). */
export type ConditionBlock = Record<string, Record<string, string[]>>

export interface Statement {
  sid?: string
  effect: Effect
  /** Exactly one of actions / notActions is set for a well-formed statement. */
  actions?: string[]
  notActions?: string[]
  resources?: string[]
  notResources?: string[]
  principal?: PrincipalMap
  notPrincipal?: PrincipalMap
  condition: ConditionBlock
  /** Index of the statement in its document, for evidence. */
  index: number
  /** Set when the document's Version is 2012-10-17: only then are `${…}` policy variables, not literal text. */
  variables?: true
}

export interface DecodeResult {
  document: PolicyDocument | null
  error?: string
}

/**
 * IAM returns every policy document URL-encoded (RFC 3986) and the JS SDK v3 does not decode it.
 * Decode exactly once, then parse. Documents that are already plain JSON (an emulator or a saved
 * inventory) are accepted too: a JSON document never starts with '%'.
 */
export function decodePolicyDocument(raw: string | undefined): DecodeResult {
  if (raw === undefined || raw === '') return {document: null, error: 'empty policy document'}
  let text = raw
  if (!raw.trimStart().startsWith('{')) {
    try {
      text = decodeURIComponent(raw)
    } catch {
      return {document: null, error: 'policy document is not valid URL-encoded text'}
    }
  }
  return parsePolicyJson(text)
}

export function parsePolicyJson(text: string): DecodeResult {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return {document: null, error: `policy document is not valid JSON: ${(error as Error).message}`}
  }
  if (!isPlainObject(parsed)) return {document: null, error: 'policy document is not a JSON object'}
  return {document: parsed}
}

/** A string or list of strings as a list; anything else (malformed) as an empty list. */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string')
  return []
}

function conditionValues(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value]
  return list.filter((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean').map(String)
}

function normalisePrincipal(value: unknown): PrincipalMap | undefined {
  if (value === undefined) return undefined
  if (value === '*') return {AWS: ['*']}
  if (!isPlainObject(value)) return {}
  // fromEntries defines own properties: a `__proto__` key from policy text stays a key, not a prototype.
  return Object.fromEntries(Object.entries(value).map(([type, entries]) => [type, stringList(entries)]))
}

function normaliseCondition(value: unknown): ConditionBlock {
  if (!isPlainObject(value)) return {}
  // fromEntries defines own properties: a `__proto__` operator or key stays one, it cannot vanish into a prototype.
  return Object.fromEntries(
    Object.entries(value)
      .filter((entry): entry is [string, Record<string, unknown>] => isPlainObject(entry[1]))
      .map(([operator, keys]) => [operator, Object.fromEntries(Object.entries(keys).map(([key, values]) => [key, conditionValues(values)]))]),
  )
}

/** The statements exactly as written (Statement may be one object or a list). */
export function rawStatements(document: PolicyDocument | null | undefined): unknown[] {
  const raw = document?.['Statement']
  return Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]
}

const NO_STATEMENTS: readonly Statement[] = Object.freeze([])
const NO_CONDITION: ConditionBlock = Object.freeze({})

/** Normalised statements are shared by every caller: frozen through (lists of strings at most three levels down). */
function frozenDeep<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  for (const child of Object.values(value)) frozenDeep(child)
  return Object.freeze(value)
}

/** One statement as written in one shape; null when malformed (no valid Effect). */
function normaliseStatement(entry: unknown, index: number, variables: boolean): Statement | null {
  if (!isPlainObject(entry)) return null
  const effect = entry['Effect']
  if (effect !== 'Allow' && effect !== 'Deny') return null
  const statement: Statement = {effect, condition: entry['Condition'] === undefined ? NO_CONDITION : normaliseCondition(entry['Condition']), index}
  if (typeof entry['Sid'] === 'string') statement.sid = entry['Sid']
  if (variables) statement.variables = true
  if (entry['Action'] !== undefined) statement.actions = stringList(entry['Action'])
  if (entry['NotAction'] !== undefined) statement.notActions = stringList(entry['NotAction'])
  if (entry['Resource'] !== undefined) statement.resources = stringList(entry['Resource'])
  if (entry['NotResource'] !== undefined) statement.notResources = stringList(entry['NotResource'])
  const principal = normalisePrincipal(entry['Principal'])
  if (principal) statement.principal = principal
  const notPrincipal = normalisePrincipal(entry['NotPrincipal'])
  if (notPrincipal) statement.notPrincipal = notPrincipal
  return frozenDeep(statement)
}

/** What is known of one document: its statements as written, each normalised when first asked about. */
interface DocumentRecord {
  raw: unknown[]
  /** https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html */
  variables: boolean
  /** By position in `raw`: undefined until normalised, null when malformed. */
  statements: Array<Statement | null | undefined>
  all?: readonly Statement[]
  /** Rules ask a handful of questions (about iam:PassRole, the iam service…) of every document: each answered once. */
  byService?: Map<string, readonly Statement[]>
  byAction?: Map<string, readonly Statement[]>
}

// Every rule asks about the same documents (an AWS managed policy attached to thousands of roles is one object
// in the inventory): each document object is normalised once per process, and its statements are shared, so
// the answers cached per statement (src/policy/match.ts, coverage.ts) are too. A statement is normalised only
// when a question can concern it: most of 20,000 roles' inline policies never name the services asked about.
// Documents are not mutated once collected (the planner copies); the statements are frozen so that no caller
// can change what the next one sees.
const records = new WeakMap<PolicyDocument, DocumentRecord>()

function recordOf(document: PolicyDocument): DocumentRecord {
  let record = records.get(document)
  if (!record) records.set(document, (record = {raw: rawStatements(document), variables: document['Version'] === '2012-10-17', statements: []}))
  return record
}

function statementAt(record: DocumentRecord, index: number): Statement | null {
  let statement = record.statements[index]
  if (statement === undefined) record.statements[index] = statement = normaliseStatement(record.raw[index], index, record.variables)
  return statement
}

/** The statements of a document in one shape. Malformed statements (no valid Effect) are left out. */
export function statementsOf(document: PolicyDocument | null | undefined): readonly Statement[] {
  if (!document) return NO_STATEMENTS
  const record = recordOf(document)
  return (record.all ??= Object.freeze(record.raw.flatMap((_, index) => statementAt(record, index) ?? [])))
}

/** Condition keys used anywhere in a statement, lower-cased (IAM condition key names are case-insensitive). */
export function conditionKeys(statement: Statement): string[] {
  return Object.values(statement.condition).flatMap((keys) => Object.keys(keys).map((key) => key.toLowerCase()))
}

export function hasCondition(statement: Statement): boolean {
  return Object.keys(statement.condition).length > 0
}

/**
 * A statement as written whose Action may name `service`: it names it, or a pattern with a wildcard or no
 * prefix; a statement without Action (NotAction) may cover any service.
 */
function mayNameService(entry: unknown, service: string): boolean {
  if (!isPlainObject(entry)) return false
  const actions = entry['Action']
  if (actions === undefined) return true
  return stringList(actions).some((action) => {
    const named = serviceOf(action)
    return named === undefined || named === service
  })
}

const frozenList = (statements: Statement[]): readonly Statement[] => (statements.length === 0 ? NO_STATEMENTS : Object.freeze(statements))

/**
 * The statements of a document that can cover `action`, in document order: those naming the action's
 * service prefix, plus NotAction statements and those whose prefix has a wildcard. A question about
 * `iam:PassRole` never examines (or normalises) `s3:*` statements.
 */
export function statementsForAction(document: PolicyDocument, action: string): readonly Statement[] {
  const service = serviceOf(action)
  if (service === undefined) return statementsOf(document)
  const record = recordOf(document)
  record.byService ??= new Map()
  let statements = record.byService.get(service)
  if (!statements) {
    const found: Statement[] = []
    for (let index = 0; index < record.raw.length; index++) {
      const statement = mayNameService(record.raw[index], service) ? statementAt(record, index) : null
      if (statement) found.push(statement)
    }
    record.byService.set(service, (statements = frozenList(found)))
  }
  return statements
}

/** The statements of a document whose Action (or NotAction) covers `action`, in document order. */
export function statementsCovering(document: PolicyDocument, action: string): readonly Statement[] {
  const record = recordOf(document)
  record.byAction ??= new Map()
  let statements = record.byAction.get(action)
  if (!statements)
    record.byAction.set(
      action,
      (statements = frozenList(statementsForAction(document, action).filter((statement) => statementCoversAction(statement, action)))),
    )
  return statements
}
