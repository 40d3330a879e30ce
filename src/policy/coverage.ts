/**
 * "Does this grant reach every resource of a kind?" answered by comparing patterns, not by asking about
 * one made-up name (which `role/emr-*`, `e*` or `*-role` would match by accident).
 * Patterns are IAM globs: `*` any run of characters, `?` one character, everything else literal.
 */
import type {Statement} from './document.js'
import type {PolicySource} from './evaluate.js'
import {statementsCovering, statementsOf} from './document.js'

type Token = '*' | '?' | {literal: string}

function tokens(pattern: string, caseInsensitive: boolean): Token[] {
  const text = caseInsensitive ? pattern.toLowerCase() : pattern
  // `*?` and `?*` match the same strings; with each run of wildcards written `?…?*` the table below sees that.
  const canonical = text.replace(/[*?]{2,}/g, (run) => '?'.repeat(run.replaceAll('*', '').length) + (run.includes('*') ? '*' : ''))
  return [...canonical].map((char) => (char === '*' || char === '?' ? char : {literal: char}))
}

const isStar = (token: Token | undefined): boolean => token === '*'
const sameLiteral = (a: Token, b: Token): boolean => typeof a === 'object' && typeof b === 'object' && a.literal === b.literal

/**
 * Every string `universe` matches is matched by `pattern` (`*` covers `arn:aws:iam::1:role/*`; `role/e*`
 * does not). Sound: a `true` is always right; a union of several patterns is not considered.
 * Bottom-up table, so a long hostile pattern costs time linear in its length times the universe's, no recursion.
 */
export function globCovers(pattern: string, universe: string, caseInsensitive = false): boolean {
  const p = tokens(pattern, caseInsensitive)
  const q = tokens(universe, caseInsensitive)
  let next: boolean[] = q.map(() => false).concat(true)
  for (let i = p.length - 1; i >= 0; i--) {
    const row: boolean[] = new Array<boolean>(q.length + 1).fill(false)
    const token = p[i] as Token
    for (let j = q.length; j >= 0; j--) {
      const other = q[j]
      if (isStar(token)) row[j] = (next[j] ?? false) || (j < q.length && (row[j + 1] ?? false))
      else if (other === undefined || isStar(other)) row[j] = false
      else row[j] = (token === '?' || sameLiteral(token, other)) && (next[j + 1] ?? false)
    }
    next = row
  }
  return next[0] ?? false
}

/** Some string is matched by both globs (`role/emr-*` and `role/*-admin` share `role/emr-admin`). */
export function globsIntersect(a: string, b: string, caseInsensitive = false): boolean {
  const p = tokens(a, caseInsensitive)
  const q = tokens(b, caseInsensitive)
  const table: boolean[][] = Array.from({length: p.length + 1}, () => new Array<boolean>(q.length + 1).fill(false))
  const at = (i: number, j: number): boolean => table[i]?.[j] ?? false
  for (let i = p.length; i >= 0; i--) {
    const row = table[i] as boolean[]
    for (let j = q.length; j >= 0; j--) {
      const left = p[i]
      const right = q[j]
      if (left === undefined && right === undefined) {
        row[j] = true
        continue
      }
      const skipLeft = isStar(left) && at(i + 1, j)
      const skipRight = isStar(right) && at(i, j + 1)
      let consume = false
      if (left !== undefined && right !== undefined && !(isStar(left) && isStar(right))) {
        const compatible = typeof left !== 'object' || typeof right !== 'object' || sameLiteral(left, right)
        consume = compatible && at(isStar(left) ? i : i + 1, isStar(right) ? j : j + 1)
      }
      row[j] = skipLeft || skipRight || consume
    }
  }
  return at(0, 0)
}

/**
 * How far a statement's Resource or NotResource reaches into a universe of resources (given as globs,
 * any one of which counts): all of it, all but some patterns (an open-ended NotResource), only some
 * patterns (scoped), or none of it.
 */
export type Coverage = {kind: 'all'} | {kind: 'all-but'; except: string[]} | {kind: 'scoped'; patterns: string[]} | {kind: 'none'}

function coverageOf(included: string[] | undefined, excluded: string[] | undefined, universes: readonly string[], caseInsensitive: boolean): Coverage {
  const coversSome = (pattern: string) => universes.some((universe) => globCovers(pattern, universe, caseInsensitive))
  const touches = (pattern: string) => universes.some((universe) => globsIntersect(pattern, universe, caseInsensitive))
  if (included) {
    if (included.some(coversSome)) return {kind: 'all'}
    const patterns = included.filter(touches)
    return patterns.length > 0 ? {kind: 'scoped', patterns} : {kind: 'none'}
  }
  if (excluded) {
    if (excluded.some((pattern) => universes.every((universe) => globCovers(pattern, universe, caseInsensitive)))) return {kind: 'none'}
    const except = excluded.filter(touches)
    return except.length > 0 ? {kind: 'all-but', except} : {kind: 'all'}
  }
  return {kind: 'all'}
}

// Thousands of principals share the statements of a few managed policies and boundaries: each statement
// answers each question once. The answers are frozen, as they are shared by every finding that cites them.
const coverages = new WeakMap<Statement, Map<string, Coverage>>()

function frozenCoverage(coverage: Coverage): Coverage {
  if (coverage.kind === 'scoped') Object.freeze(coverage.patterns)
  if (coverage.kind === 'all-but') Object.freeze(coverage.except)
  return Object.freeze(coverage)
}

function remembered(statement: Statement, key: string, answer: () => Coverage): Coverage {
  let answers = coverages.get(statement)
  if (!answers) coverages.set(statement, (answers = new Map()))
  let coverage = answers.get(key)
  if (!coverage) answers.set(key, (coverage = frozenCoverage(answer())))
  return coverage
}

export function resourceCoverage(statement: Statement, universes: readonly string[]): Coverage {
  return remembered(statement, `resource\n${universes.join('\n')}`, () => coverageOf(statement.resources, statement.notResources, universes, false))
}

/** Action names are case-insensitive: `S3:*`, `*` and NotAction `iam:*` all cover `s3:*`. */
export function actionCoverage(statement: Statement, universe: string): Coverage {
  return remembered(statement, `action\n${universe}`, () => coverageOf(statement.actions, statement.notActions, [universe], true))
}

/** `all` and `all-but` are open-ended: a resource created tomorrow is covered too. */
export function isOpenEnded(coverage: Coverage): boolean {
  return coverage.kind === 'all' || coverage.kind === 'all-but'
}

const NEGATED = /^(forallvalues:|foranyvalue:)?(stringnot|arnnot)/i
const WILDCARD_OPERATORS = /^(forallvalues:|foranyvalue:)?(stringlike|arnlike|arnequals)(ifexists)?$/i

/**
 * Does any condition on `key` actually narrow the request? A condition in name only does not:
 * `StringLike "*"` (or any value that covers every value in `universe`), a negated operator whose
 * values no request value can match, or `Null: false` (the caller asks about a key every request carries).
 * Other keys of the statement are not considered here.
 */
export function restrictsKey(statement: Statement, key: string, universe: string): boolean {
  let answers = restrictions.get(statement)
  if (!answers) restrictions.set(statement, (answers = new Map()))
  const question = `${key}\n${universe}`
  let restricts = answers.get(question)
  if (restricts === undefined) answers.set(question, (restricts = conditionRestricts(statement, key, universe)))
  return restricts
}

// Asked of the same shared statements for every principal that has them, like the coverages above.
const restrictions = new WeakMap<Statement, Map<string, boolean>>()

function conditionRestricts(statement: Statement, key: string, universe: string): boolean {
  const wanted = key.toLowerCase()
  return Object.entries(statement.condition).some(([operator, keys]) =>
    Object.entries(keys).some(([name, values]) => {
      if (name.toLowerCase() !== wanted) return false
      // `Null: false` only asks that the key be present: on a request that always carries it, no narrowing. The
      // values are ORed, so `["true", "false"]` (absent or present) narrows nothing either.
      if (/^null$/i.test(operator)) return !values.some((value) => value.toLowerCase() === 'false')
      if (NEGATED.test(operator)) {
        const wildcard = /like/i.test(operator)
        return values.some((value) => (wildcard ? globsIntersect(value, universe) : globCovers(universe, value)))
      }
      if (WILDCARD_OPERATORS.test(operator)) return !values.some((value) => globCovers(value, universe))
      return true
    }),
  )
}

/** A statement of a policy, with where it came from, for evidence. */
export interface LocatedStatement {
  policy: string
  statement: Statement
}

export function locatedStatements(sources: readonly PolicySource[]): LocatedStatement[] {
  return sources.flatMap((source) => statementsOf(source.document).map((statement) => ({policy: source.label, statement})))
}

/** The statements of these policies that cover `action` (Action/NotAction), in policy and document order. */
export function locatedStatementsCovering(sources: readonly PolicySource[], action: string): LocatedStatement[] {
  const located: LocatedStatement[] = []
  for (const source of sources) {
    if (!source.document) continue
    for (const statement of statementsCovering(source.document, action)) located.push({policy: source.label, statement})
  }
  return located
}
