#!/usr/bin/env node
// `npm run mutate [-- [--concurrency=N] AREA...]`: StrykerJS over each area in turn (all four when none is
// named), then one closing score line per area. Areas run one at a time with their own incremental file and HTML report,
// so a re-run of one area reuses its earlier results. Exits 1 when an area scores below 80%.
import {Stryker} from '@stryker-mutator/core'
import {notMutated} from '../stryker.config.mjs'

/** Each area: the sources mutated, and the tests a mutant there is tried against (its own, plus the unit tests that exercise it end to end). */
const AREAS = {
  policy: {mutate: 'src/policy/**/*.ts', tests: ['src/policy/**/*.test.ts', 'test/unit/properties.test.ts', 'test/unit/permissions.test.ts']},
  rules: {mutate: 'src/rules/**/*.ts', tests: ['src/rules/**/*.test.ts', 'test/unit/demo.test.ts']},
  fix: {mutate: 'src/fix/**/*.ts', tests: ['src/fix/**/*.test.ts', 'test/unit/fix-properties.test.ts', 'test/unit/permissions.test.ts', 'test/unit/hostile-text.test.ts']},
  baseline: {mutate: 'src/report/baseline.ts', tests: ['src/report/baseline.test.ts']},
}
const THRESHOLD = 80
// Stryker's own definition: detected (killed or timed out) over valid (detected, survived or not covered).
const DETECTED = new Set(['Killed', 'Timeout'])
const UNDETECTED = new Set(['Survived', 'NoCoverage'])

const args = process.argv.slice(2)
const concurrency = args.find((arg) => arg.startsWith('--concurrency='))
const requested = args.filter((arg) => arg !== concurrency)
const unknown = requested.filter((area) => !(area in AREAS))
if (unknown.length > 0) {
  console.error(`unknown area: ${unknown.join(', ')} (areas: ${Object.keys(AREAS).join(', ')})`)
  process.exit(2)
}

const scores = []
for (const area of requested.length > 0 ? requested : Object.keys(AREAS)) {
  // Read by vitest.mutate.config.mjs in Stryker's worker processes, which inherit this environment.
  process.env.MUTATE_TESTS = AREAS[area].tests.join(',')
  const results = await new Stryker({
    mutate: [AREAS[area].mutate, ...notMutated],
    incrementalFile: `reports/mutation/${area}.incremental.json`,
    htmlReporter: {fileName: `reports/mutation/${area}.html`},
    ...(concurrency ? {concurrency: Number(concurrency.slice('--concurrency='.length))} : {}),
  }).runMutationTest()
  const detected = results.filter((result) => DETECTED.has(result.status)).length
  const undetected = results.filter((result) => UNDETECTED.has(result.status)).length
  const valid = detected + undetected
  scores.push({area, glob: AREAS[area].mutate, detected, undetected, score: valid === 0 ? 100 : (100 * detected) / valid})
}

for (const {glob, detected, undetected, score} of scores) {
  console.log(`mutation score ${glob}: ${score.toFixed(2)}% (${detected} detected, ${undetected} undetected)`)
}
process.exit(scores.every(({score}) => score >= THRESHOLD) ? 0 : 1)
