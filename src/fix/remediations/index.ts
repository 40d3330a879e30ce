/**
 * Every remediation emr-audit ships: the default export of each module in this folder (adding one touches
 * its own file and test only). Their declarations are the only list of what the fixer may write: the
 * executor's and rollback's allow-lists and the actions `permissions --fix` grants are derived here.
 */
import {defaultExportsIn} from '../../rules/discover.js'
import type {ChangeKind} from '../types.js'
import type {ChangeDeclaration, Remediation} from './types.js'

function isRemediation(value: unknown): value is Remediation {
  const candidate = value as Partial<Remediation> | undefined
  return Array.isArray(candidate?.ruleIds) && Array.isArray(candidate?.changes) && typeof candidate?.plan === 'function'
}

/** Helpers beside the modules export no remediation; a module that does is one. */
export const REMEDIATIONS: readonly Remediation[] = (await defaultExportsIn(new URL('./', import.meta.url), /^(?!index$)/)).flatMap(({value}) =>
  isRemediation(value) ? [value] : [],
)

const DECLARATIONS: readonly ChangeDeclaration[] = REMEDIATIONS.flatMap((remediation) => remediation.changes)

const sortedUnion = (lists: ReadonlyArray<readonly string[]>): string[] => [...new Set(lists.flat())].sort()

/** The change kinds some module proposes; the executor reads and writes no other. */
export const DECLARED_KINDS: readonly ChangeKind[] = [...new Set(DECLARATIONS.map((declaration) => declaration.kind))]

/** The writes a change of this kind may send: to apply it, or to undo it (rollback). */
export function declaredWrites(kind: ChangeKind, direction: 'apply' | 'undo'): string[] {
  return sortedUnion(
    DECLARATIONS.filter((declaration) => declaration.kind === kind).map((declaration) => (direction === 'apply' ? declaration.writes : declaration.inverse)),
  )
}

/** Every write fix --apply and rollback may send. */
export const FIX_WRITE_ACTIONS: readonly string[] = sortedUnion(DECLARATIONS.flatMap((declaration) => [declaration.writes, declaration.inverse]))

/** The first call not among the writes declared for its change's kind, or undefined. */
export function undeclaredCall(kind: ChangeKind, direction: 'apply' | 'undo', operations: ReadonlyArray<{operation: string}>): string | undefined {
  const allowed = declaredWrites(kind, direction)
  return operations.find((call) => !allowed.includes(call.operation))?.operation
}
