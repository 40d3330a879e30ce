#!/usr/bin/env node
// `npm run mutate [-- [--concurrency=N] AREA[:GLOB]...]`: StrykerJS over each area in turn (all four when
// none is named), then one closing score line per area. `rules:src/rules/passrole/*.ts` mutates only part
// of an area (against the area's tests), for a quick look on a busy machine. Areas (and the parts of a large
// one) run one at a time with their own incremental file and HTML report, so a re-run reuses earlier
// results; a parted area prints each part's score and the area's. Exits 1 when an area is below 80%.
import {Stryker} from '@stryker-mutator/core'
import {notMutated} from '../stryker.config.mjs'

const FIRST_RULE_GROUPS = '{trust,passrole,policy,role,slr}'
const PLAN_LIFE = '{planner,calls,executor,journal,state,undo}'

/** Each area: the sources mutated, and the tests a mutant there is tried against (its own, plus the unit tests that exercise it end to end). */
const AREAS = {
  // The rules' tests too: trust, resource-policy and grant helpers are exercised there, with AWS's answers.
  policy: {
    mutate: 'src/policy/**/*.ts',
    tests: ['src/policy/**/*.test.ts', 'src/rules/**/*.test.ts', 'test/unit/properties.test.ts', 'test/unit/permissions.test.ts'],
  },
  // In parts: each part's result (and report) is in while the next one runs, and a re-run after a new test
  // repeats only the parts whose mutants it covers. The last part is the rest, so no file is left out.
  rules: {
    mutate: 'src/rules/**/*.ts',
    parts: [['src/rules/*.ts'], [`src/rules/${FIRST_RULE_GROUPS}/**/*.ts`], ['src/rules/*/**/*.ts', `!src/rules/${FIRST_RULE_GROUPS}/**/*.ts`]],
    tests: ['src/rules/**/*.test.ts'],
  },
  // Not the property tests (test/unit/fix-properties, hostile-text): random inputs make a kill depend on the
  // sample, and the journal property alone takes half a minute, under every mutant it covers.
  // In parts, as the rules: the remediations, then the plan's life (planner, executor, journal, undo), then
  // the rest (the guards, verification and permission policies).
  fix: {
    mutate: 'src/fix/**/*.ts',
    parts: [['src/fix/remediations/**/*.ts'], [`src/fix/${PLAN_LIFE}.ts`], ['src/fix/*.ts', `!src/fix/${PLAN_LIFE}.ts`]],
    tests: ['src/fix/**/*.test.ts', 'test/unit/permissions.test.ts'],
  },
  baseline: {mutate: 'src/report/baseline.ts', tests: ['src/report/baseline.test.ts']},
}
const THRESHOLD = 80
// Stryker's own definition: detected (killed or timed out) over valid (detected, survived or not covered).
const DETECTED = new Set(['Killed', 'Timeout'])
const UNDETECTED = new Set(['Survived', 'NoCoverage'])

const args = process.argv.slice(2)
const concurrency = args.find((arg) => arg.startsWith('--concurrency='))
const requested = args.filter((arg) => arg !== concurrency)
const areaOf = (request) => request.split(':')[0]
const unknown = requested.filter((request) => !(areaOf(request) in AREAS))
if (unknown.length > 0) {
  console.error(`unknown area: ${unknown.join(', ')} (areas: ${Object.keys(AREAS).join(', ')})`)
  process.exit(2)
}

/** One Stryker run; its counts by Stryker's definition of the score. */
async function mutate(area, globs, name) {
  // Read by vitest.mutate.config.mjs in Stryker's worker processes, which inherit this environment.
  process.env.MUTATE_TESTS = AREAS[area].tests.join(',')
  const results = await new Stryker({
    mutate: [...globs, ...notMutated],
    incrementalFile: `reports/mutation/${name}.incremental.json`,
    htmlReporter: {fileName: `reports/mutation/${name}.html`},
    ...(concurrency ? {concurrency: Number(concurrency.slice('--concurrency='.length))} : {}),
  }).runMutationTest()
  const detected = results.filter((result) => DETECTED.has(result.status)).length
  const undetected = results.filter((result) => UNDETECTED.has(result.status)).length
  return {detected, undetected}
}

const scoreOf = ({detected, undetected}) => (detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected))
const lines = []
const scores = []
for (const request of requested.length > 0 ? requested : Object.keys(AREAS)) {
  const area = areaOf(request)
  if (request.includes(':')) {
    const glob = request.slice(area.length + 1)
    const counts = await mutate(area, [glob], `${area}-${glob.replace(/[^\w.-]+/g, '_')}`)
    scores.push(scoreOf(counts))
    lines.push(`mutation score ${glob}: ${scoreOf(counts).toFixed(2)}% (${counts.detected} detected, ${counts.undetected} undetected)`)
    continue
  }
  const parts = AREAS[area].parts ?? [[AREAS[area].mutate]]
  const total = {detected: 0, undetected: 0}
  for (const [index, globs] of parts.entries()) {
    const counts = await mutate(area, globs, parts.length > 1 ? `${area}-${index + 1}` : area)
    total.detected += counts.detected
    total.undetected += counts.undetected
    if (parts.length > 1)
      lines.push(`  part ${index + 1} (${globs.join(' ')}): ${scoreOf(counts).toFixed(2)}% (${counts.detected} detected, ${counts.undetected} undetected)`)
  }
  scores.push(scoreOf(total))
  lines.push(`mutation score ${AREAS[area].mutate}: ${scoreOf(total).toFixed(2)}% (${total.detected} detected, ${total.undetected} undetected)`)
}

for (const line of lines) console.log(line)
process.exit(scores.every((score) => score >= THRESHOLD) ? 0 : 1)
