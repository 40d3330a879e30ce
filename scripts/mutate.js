#!/usr/bin/env node
// `npm run mutate [-- [--concurrency=N] AREA[:GLOB]...]`: StrykerJS over each area in turn (all four when
// none is named), then one closing score line per area. `rules:src/rules/passrole/*.ts` mutates only part
// of an area (against the area's tests), for a quick look on a busy machine. Areas run one at a time with
// their own incremental file and HTML report, so a re-run reuses earlier results. Exits 1 below 80%.
import {Stryker} from '@stryker-mutator/core'
import {notMutated} from '../stryker.config.mjs'

/** Each area: the sources mutated, and the tests a mutant there is tried against (its own, plus the unit tests that exercise it end to end). */
const AREAS = {
  // The rules' tests too: trust, resource-policy and grant helpers are exercised there, with AWS's answers.
  policy: {
    mutate: 'src/policy/**/*.ts',
    tests: ['src/policy/**/*.test.ts', 'src/rules/**/*.test.ts', 'test/unit/properties.test.ts', 'test/unit/permissions.test.ts'],
  },
  rules: {mutate: 'src/rules/**/*.ts', tests: ['src/rules/**/*.test.ts']},
  // Not the property tests (test/unit/fix-properties, hostile-text): random inputs make a kill depend on the
  // sample, and the journal property alone takes half a minute, under every mutant it covers.
  fix: {mutate: 'src/fix/**/*.ts', tests: ['src/fix/**/*.test.ts', 'test/unit/permissions.test.ts']},
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

const scores = []
for (const request of requested.length > 0 ? requested : Object.keys(AREAS)) {
  const area = areaOf(request)
  const glob = request.includes(':') ? request.slice(area.length + 1) : AREAS[area].mutate
  const name = glob === AREAS[area].mutate ? area : `${area}-${glob.replace(/[^\w.-]+/g, '_')}`
  // Read by vitest.mutate.config.mjs in Stryker's worker processes, which inherit this environment.
  process.env.MUTATE_TESTS = AREAS[area].tests.join(',')
  const results = await new Stryker({
    mutate: [glob, ...notMutated],
    incrementalFile: `reports/mutation/${name}.incremental.json`,
    htmlReporter: {fileName: `reports/mutation/${name}.html`},
    ...(concurrency ? {concurrency: Number(concurrency.slice('--concurrency='.length))} : {}),
  }).runMutationTest()
  const detected = results.filter((result) => DETECTED.has(result.status)).length
  const undetected = results.filter((result) => UNDETECTED.has(result.status)).length
  const valid = detected + undetected
  scores.push({glob, detected, undetected, score: valid === 0 ? 100 : (100 * detected) / valid})
}

for (const {glob, detected, undetected, score} of scores) {
  console.log(`mutation score ${glob}: ${score.toFixed(2)}% (${detected} detected, ${undetected} undetected)`)
}
process.exit(scores.every(({score}) => score >= THRESHOLD) ? 0 : 1)
