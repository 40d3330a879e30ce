import {describe, expect, it} from 'vitest'
import {installTraps, restrictTo} from '../../test/fixtures/declared-sources.js'
import {cluster, emptyInventory, setCoverage} from '../../test/fixtures/inventory.js'
import {loadConfig} from '../app/load-config.js'
import {DEMO_CONFIG_FILE, DEMO_INVENTORY} from '../app/demo.js'
import {readInventory} from '../inventory/io.js'
import type {Inventory, SourceId} from '../inventory/schema.js'
import {SOURCE_COVERAGE} from '../inventory/sources.js'
import {evaluateRule, fingerprintOf, overlappedAnalysis, ruleContext, sourcesRead} from './engine.js'
import {RULES} from './index.js'
import {defineRule, type Rule, type RuleOutcome} from './types.js'

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

/** A rule answering what it is given, reading only the sources named. */
const echo = (id: string, outcomes: (inventory: Inventory) => RuleOutcome[], extra: Partial<Rule> = {}): Rule =>
  defineRule({
    id,
    group: 'ROLE',
    title: `${id} title`,
    severity: 'medium',
    rationale: 'r',
    sources: [],
    remediation: {summary: 's', autoApply: 'no'},
    dependsOn: ['emr.clusters'],
    evaluate: outcomes,
    ...extra,
  })
const account = {type: 'account', id: '123456789012'} as const

describe('findings from outcomes', () => {
  it('keep the rule’s severity unless the outcome gives one, and a scope or sub-key only when there is one', () => {
    const rule = echo('TEST-ENGINE', () => [
      {status: 'fail', resource: account, message: 'a', severity: 'info', scope: [], subKey: 'k', evidence: {x: 1}},
      {status: 'pass', resource: account, message: 'b', scope: [{class: 'SVC', via: 'config', detail: 'd'}]},
    ])
    const [first, second] = evaluateRule(rule, emptyInventory(), ruleContext(emptyInventory(), {}, NOW))
    expect(first).toMatchObject({ruleId: 'TEST-ENGINE', account: '123456789012', title: 'TEST-ENGINE title', severity: 'info', subKey: 'k', evidence: {x: 1}})
    expect(first).not.toHaveProperty('scope')
    expect(second).toMatchObject({severity: 'medium', evidence: {}, scope: [{class: 'SVC', via: 'config', detail: 'd'}], remediation: {summary: 's'}})
    expect(second).not.toHaveProperty('subKey')
  })

  // Expected values: sha256 (hex, first 32 characters) of the key in the comment, computed with python3 hashlib.
  it('fingerprint type:region:id without an ARN, and the JSON array of the parts when one holds a "|"', () => {
    // "TEST-ENGINE|123456789012|account::123456789012|us-east-1"
    expect(fingerprintOf('TEST-ENGINE', '123456789012', account, 'us-east-1')).toBe('0cbdc48a66a295704f9ac8cf64fe2d8f')
    // '["TEST-ENGINE","123456789012","rule::a|x","y"]'
    expect(fingerprintOf('TEST-ENGINE', '123456789012', {type: 'rule', id: 'a|x'}, 'y')).toBe('da18aa2b55d24e75d272b834e2078da5')
    expect(fingerprintOf('TEST-ENGINE', '123456789012', {type: 'rule', id: 'a'}, 'x|y')).not.toBe('da18aa2b55d24e75d272b834e2078da5')
  })

  it('a rule that throws gives one error finding for itself, with the start of the stack', () => {
    const rule = echo('TEST-THROWS', () => {
      throw new Error('boom')
    })
    const findings = evaluateRule(rule, emptyInventory(), ruleContext(emptyInventory(), {}, NOW))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      status: 'error',
      resource: {type: 'rule', id: 'TEST-THROWS'},
      message: 'Rule TEST-THROWS failed while evaluating and reported nothing: boom',
    })
    expect(String(findings[0]?.evidence['error'])).toMatch(/^Error: boom \| +at /)
    expect(String(findings[0]?.evidence['error']).split(' | ')).toHaveLength(3)
  })

  it('several global sources missing are named together; without `checks` the title says what was not checked', () => {
    const rule = echo('TEST-GLOBAL', () => [], {dependsOn: ['iam.authorizationDetails', 'iam.instanceProfiles', 'emr.clusters']})
    const inventory = setCoverage(setCoverage(emptyInventory(), 'iam.authorizationDetails', 'global', 'denied'), 'iam.instanceProfiles', 'global', 'error')
    expect(evaluateRule(rule, inventory, ruleContext(inventory, {}, NOW)).map((finding) => finding.message)).toEqual([
      'Could not check "TEST-GLOBAL title": the IAM snapshot (iam:GetAccountAuthorizationDetails) and the instance profiles (iam:ListInstanceProfiles) were not collected.',
    ])
  })

  it('a regional gap the rule reported itself is not reported twice; a source it does not depend on makes none', () => {
    const inventory = setCoverage(
      setCoverage(emptyInventory(['us-east-1', 'eu-west-1']), 'emr.clusters', 'eu-west-1', 'denied'),
      'emr.studios',
      'us-east-1',
      'denied',
    )
    const own = echo('TEST-REGIONAL', () => [{status: 'unknown', resource: {...account, region: 'eu-west-1'}, subKey: 'eu-west-1', message: 'mine'}])
    expect(evaluateRule(own, inventory, ruleContext(inventory, {}, NOW)).map((finding) => finding.message)).toEqual(['mine'])
    const silent = echo('TEST-REGIONAL', () => [])
    expect(evaluateRule(silent, inventory, ruleContext(inventory, {}, NOW))).toMatchObject([
      {
        status: 'unknown',
        resource: {type: 'account', id: '123456789012', region: 'eu-west-1'},
        subKey: 'eu-west-1',
        evidence: {missingSources: ['emr.clusters']},
      },
    ])
  })

  it('a rule reads the caller identity, what it depends on and what else it reads, each once', () => {
    expect(sourcesRead(echo('T', () => [], {dependsOn: ['emr.clusters', 'sts.identity'], reads: ['emr.clusters', 'kms.keys']}))).toEqual([
      'sts.identity',
      'emr.clusters',
      'kms.keys',
    ])
  })

  it('builds the role scope once, and only when asked', () => {
    const inventory = emptyInventory()
    const context = ruleContext(inventory, {}, NOW)
    expect(context.scope).toBe(context.scope)
  })
})

describe('analysis overlapped with the scan', () => {
  const everything = new Set(ALL_SOURCES)
  const counting = (id: string, dependsOn: SourceId[]) =>
    echo(id, (inventory) => [{status: 'pass', resource: account, message: `${inventory.emr.clusters.length}`}], {dependsOn})

  it('runs a rule once its sources are in, on the view, and the others at the end; findings in rule order', async () => {
    const early = counting('TEST-EARLY', ['emr.clusters'])
    const late = counting('TEST-LATE', ['emr.studios'])
    const analysis = overlappedAnalysis([late, early], {config: {}, now: NOW})
    const view = emptyInventory()
    view.emr.clusters.push(cluster({id: 'j-1'}))
    analysis.sourcesDone(new Set<SourceId>(['sts.identity', 'emr.clusters']), () => view)
    // Rules run one a turn, so the scan's replies are handled between them: let the early one run.
    await new Promise((resolve) => setTimeout(resolve, 10))
    const findings = await analysis.finish(emptyInventory())
    expect(findings.map((finding) => `${finding.ruleId} ${finding.message}`)).toEqual(['TEST-LATE 0', 'TEST-EARLY 1'])
    expect(analysis.ranDuringScan()).toEqual(['TEST-EARLY'])
  })

  it('a view that cannot be built leaves the rules to the end; a rule is started only once', async () => {
    const rule = counting('TEST-ONCE', ['emr.clusters'])
    const analysis = overlappedAnalysis([rule], {config: {}, now: NOW})
    analysis.sourcesDone(everything, () => {
      throw new Error('not yet')
    })
    const view = emptyInventory()
    view.emr.clusters.push(cluster({id: 'j-1'}))
    analysis.sourcesDone(everything, () => view)
    analysis.sourcesDone(everything, () => emptyInventory())
    expect((await analysis.finish(emptyInventory())).map((finding) => finding.message)).toEqual(['1'])
  })
})
