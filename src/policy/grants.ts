/** Statement-level questions: which Allow statements grant something without the condition that should bound it. */
import {conditionKeys, statementsOf} from './document.js'
import type {PolicySource} from './evaluate.js'
import {statementCoversAction, statementCoversResource} from './match.js'

export interface GrantRef {
  policy: string
  statementIndex: number
  sid?: string
}

/**
 * Allow statements that grant one of `actions` on one of `resources` (globs, NotAction and NotResource
 * honoured) and carry no condition on `conditionKey`. Asked with a made-up resource, it finds grants that
 * reach arbitrary resources of a kind (`Resource: "*"`, `role/*`).
 */
export function unconditionedGrants(
  sources: readonly PolicySource[],
  actions: readonly string[],
  resources: readonly string[],
  conditionKey: string,
): GrantRef[] {
  const key = conditionKey.toLowerCase()
  return sources.flatMap((source) =>
    statementsOf(source.document)
      .filter((statement) => statement.effect === 'Allow' && actions.some((action) => statementCoversAction(statement, action)))
      .filter((statement) => resources.some((resource) => statementCoversResource(statement, resource)))
      .filter((statement) => !conditionKeys(statement).includes(key))
      .map((statement) => ({policy: source.label, statementIndex: statement.index, ...(statement.sid ? {sid: statement.sid} : {})})),
  )
}
