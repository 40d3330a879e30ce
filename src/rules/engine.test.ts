import {describe, expect, it} from 'vitest'
import {installTraps, restrictTo} from '../../test/fixtures/declared-sources.js'
import {emptyInventory, setCoverage} from '../../test/fixtures/inventory.js'
import {loadConfig} from '../app/load-config.js'
import {DEMO_CONFIG_FILE, DEMO_INVENTORY} from '../app/demo.js'
import {readInventory} from '../inventory/io.js'
import type {Inventory, SourceId} from '../inventory/schema.js'
import {SOURCE_COVERAGE} from '../inventory/sources.js'
import {evaluateRule, ruleContext, sourcesRead} from './engine.js'
import {RULES} from './index.js'
import {defineRule} from './types.js'

const NOW = new Date('2026-11-23T00:00:00Z')
const ALL_SOURCES = Object.keys(SOURCE_COVERAGE) as SourceId[]

/** The demo account, and the demo account with each source failed in turn (its data gone, its coverage denied). */
async function accounts(): Promise<Array<{name: string; inventory: Inventory}>> {
  const demo = await readInventory(DEMO_INVENTORY)
  const failed = ALL_SOURCES.filter((source) => source !== 'sts.identity').map((source) => {
    const inventory = restrictTo(demo, new Set(ALL_SOURCES.filter((each) => each !== source)))
    const regions = SOURCE_COVERAGE[source] === 'global' ? ['global'] : inventory.regions
    for (const region of regions) setCoverage(inventory, source, region, 'denied', 'test:Denied')
    return {name: `demo without ${source}`, inventory}
  })
  return [{name: 'demo', inventory: demo}, ...failed]
}

describe('the engine answers for sources that were not collected', () => {
  const studioRule = defineRule({
    id: 'TEST-STUDIO',
    group: 'STUDIO',
    title: 'Studios are fine',
    severity: 'high',
    rationale: 'r',
    sources: [],
    remediation: {summary: 's', autoApply: 'no'},
    dependsOn: ['iam.authorizationDetails', 'emr.studios'],
    checks: 'the roles of Studios',
    needsGlobalSourcesWhen: (inventory) => inventory.emr.studios.length > 0,
    evaluate: (inventory) => [
      {
        status: 'pass',
        resource: {type: 'account', id: inventory.account.id},
        message: `${inventory.emr.studios.length} Studios, ${inventory.iam.roles.length} roles`,
      },
    ],
  })
  const withStudio = () => {
    const inventory = setCoverage(emptyInventory(), 'iam.authorizationDetails', 'global', 'denied')
    inventory.emr.studios.push({id: 'es-1', region: 'us-east-1', origin: 'api', subnetIds: [], gitSecrets: []})
    return inventory
  }

  it('a global source missing: the rule is not evaluated and answers one unknown for the account, saying what it could not check', () => {
    const findings = evaluateRule(studioRule, withStudio(), ruleContext(withStudio(), {}, NOW))
    expect(findings.map(({status, resource, message, evidence}) => ({status, resource, message, evidence}))).toEqual([
      {
        status: 'unknown',
        resource: {type: 'account', id: '123456789012'},
        message: 'Could not check the roles of Studios: the IAM snapshot (iam:GetAccountAuthorizationDetails) was not collected.',
        evidence: {},
      },
    ])
  })

  it('where the rule says it needs no global source, it is evaluated without it', () => {
    const inventory = setCoverage(emptyInventory(), 'iam.authorizationDetails', 'global', 'denied')
    expect(evaluateRule(studioRule, inventory, ruleContext(inventory, {}, NOW)).map((finding) => [finding.status, finding.message])).toEqual([
      ['pass', '0 Studios, 0 roles'],
    ])
  })

  it("a regional source missing: an unknown in that region beside the rule's own findings", () => {
    const inventory = setCoverage(emptyInventory(['us-east-1', 'eu-west-1']), 'emr.studios', 'eu-west-1', 'error')
    expect(
      evaluateRule(studioRule, inventory, ruleContext(inventory, {}, NOW)).map((finding) => [finding.status, finding.resource.region ?? '-', finding.message]),
    ).toEqual([
      ['pass', '-', '0 Studios, 0 roles'],
      [
        'unknown',
        'eu-west-1',
        'Could not check the roles of Studios in eu-west-1: the EMR Studios (elasticmapreduce:ListStudios) could not be read (see coverage).',
      ],
    ])
  })
})

describe('rules read only the sources they declare', () => {
  it('each rule answers the same from an inventory holding only its declared sources as from the whole one, and reads nothing else', async () => {
    const config = await loadConfig(DEMO_CONFIG_FILE)
    for (const {name, inventory} of await accounts()) {
      for (const rule of RULES) {
        const expected = evaluateRule(rule, inventory, ruleContext(inventory, config, NOW))
        const sources = new Set(sourcesRead(rule))
        const restricted = restrictTo(inventory, sources)
        const context = ruleContext(restricted, config, NOW)
        expect({account: name, rule: rule.id, findings: evaluateRule(rule, installTraps(restricted, sources), context)}).toEqual({
          account: name,
          rule: rule.id,
          findings: expected,
        })
      }
    }
  }, 60_000)

  it('a rule that cannot answer without a global source says what it could not check', () => {
    for (const rule of RULES) {
      if ((rule.dependsOn ?? []).some((source) => SOURCE_COVERAGE[source] === 'global'))
        expect({rule: rule.id, checks: typeof rule.checks}).toEqual({rule: rule.id, checks: 'string'})
    }
  })

  it('the check itself catches a rule reading a source it does not declare', () => {
    const sneaky = defineRule({
      id: 'TEST-SNEAKY',
      group: 'ROLE',
      title: 't',
      severity: 'low',
      rationale: 'r',
      sources: [],
      remediation: {summary: 's', autoApply: 'no'},
      dependsOn: ['emr.clusters'],
      evaluate: (inventory) => inventory.emr.studios.map((studio) => ({status: 'pass', resource: {type: 'emr-studio', id: studio.id}, message: 'seen'})),
    })
    const sources = new Set(sourcesRead(sneaky))
    const restricted = restrictTo(emptyInventory(), sources)
    const context = ruleContext(restricted, {}, NOW)
    const [finding] = evaluateRule(sneaky, installTraps(restricted, sources), context)
    expect(finding?.status).toBe('error')
    expect(finding?.message).toContain('read studios (from emr.studios) without declaring it')
  })
})
