/**
 * EMR-TRUST-005: does a condition pin who may assume a role to known accounts or an organisation?
 * A key counts only under a positive operator (no `IfExists`: an absent key would let the request through)
 * and only when every value pins — values of one key are ORed.
 */
import type {Statement} from '../../policy/document.js'
import {parseArn} from '../../policy/match.js'

const POSITIVE = /^(stringequals|stringequalsignorecase|stringlike|arnequals|arnlike)$/i
const WILDCARD = /[*?]/

export interface Pinning {
  pinned: boolean
  /** Restricting keys whose values leave the account (or organisation) open, for evidence. */
  loose: string[]
}

type ValueCheck = (value: string, operator: string) => boolean

function checks(accounts: ReadonlySet<string>, crossAccount: boolean): Record<string, ValueCheck> {
  const knownAccount: ValueCheck = (value) => accounts.has(value)
  return {
    'aws:principalorgid': (value) => value !== '' && !WILDCARD.test(value),
    'aws:principalaccount': knownAccount,
    'aws:sourceaccount': knownAccount,
    'aws:principalarn': (value, operator) => {
      const arn = parseArn(value)
      if (arn === undefined || !accounts.has(arn.account)) return false
      // Under a String operator `*` crosses colons, and a role path may hold them: a wildcard before the
      // account field could match a role of another account whose path spells this one.
      return /^arn/i.test(operator) || !WILDCARD.test(value.split(':').slice(0, 4).join(':'))
    },
    // An ExternalId only means something to a named other account; with "*" anyone may present it.
    ...(crossAccount ? {'sts:externalid': (value: string) => value !== '' && !WILDCARD.test(value)} : {}),
  }
}

export function pinning(statement: Statement, accounts: ReadonlySet<string>, crossAccount: boolean): Pinning {
  const byKey = checks(accounts, crossAccount)
  const loose: string[] = []
  let pinned = false
  for (const [operator, keys] of Object.entries(statement.condition)) {
    for (const [key, values] of Object.entries(keys)) {
      const check = byKey[key.toLowerCase()]
      if (!check) continue
      if (POSITIVE.test(operator) && values.length > 0 && values.every((value) => check(value, operator))) pinned = true
      else loose.push(`${operator} ${key} ${values.join(', ')}`)
    }
  }
  return {pinned, loose}
}
