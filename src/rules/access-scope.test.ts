import {describe, expect, it} from 'vitest'
import {doc, emptyInventory, setCoverage, ACCOUNT} from '../../test/fixtures/inventory.js'
import {runRule} from '../../test/fixtures/run-rule.js'
import {RULES} from './index.js'
import {POLICIES_EVALUATED} from './types.js'

const rule = (id: string) => RULES.find((entry) => entry.id === id)!

describe('verdicts about access say what they rest on', () => {
  function broadUser() {
    const inventory = emptyInventory()
    inventory.iam.users.push({
      name: 'u',
      arn: `arn:aws:iam::${ACCOUNT}:user/u`,
      id: 'AIDAU',
      path: '/',
      inlinePolicies: [{name: 'p', document: doc({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'})}],
      attachedPolicies: [],
      groups: [],
      tags: [],
    })
    return inventory
  }
  it('a rule that decides access carries the shared policiesEvaluated evidence on its verdicts', () => {
    const [outcome] = runRule(rule('EMR-PASSROLE-002'), broadUser())
    expect(outcome?.evidence?.['policiesEvaluated']).toBe(POLICIES_EVALUATED)
    expect(POLICIES_EVALUATED).toContain('SCPs, RCPs and session policies are not evaluated')
  })
  it('not on unknown outcomes, nor on rules that do not decide access', () => {
    const [unknown] = runRule(rule('EMR-PASSROLE-002'), setCoverage(broadUser(), 'iam.authorizationDetails', 'global', 'denied'))
    expect(unknown?.status).toBe('unknown')
    expect(unknown?.evidence?.['policiesEvaluated']).toBeUndefined()
    const inventory = emptyInventory()
    inventory.emr.blockPublicAccess.push({region: 'us-east-1', blockPublicSecurityGroupRules: true, permittedRanges: []})
    expect(runRule(rule('EMR-CLUSTER-001'), inventory)[0]?.evidence?.['policiesEvaluated']).toBeUndefined()
  })
})
