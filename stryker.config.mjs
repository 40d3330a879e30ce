// Mutation testing (`npm run mutate`, not part of `npm test` or CI): proves the unit tests notice small
// semantic changes in the evaluator, the rules, the fixer and the baseline. scripts/mutate.js runs one
// area at a time (`npm run mutate -- policy`), which keeps a run within reach of a small shared machine.

/**
 * What is never mutated: tests; files holding only type declarations; and src/fix/aws.ts, the fixer's AWS
 * edge, whose behaviour only the end-to-end tests against the emulator can show (a mutation run does not
 * start them) and whose source text test/unit/permissions.test.ts reads (an instrumented copy fails it).
 */
export const notMutated = ['!src/**/*.test.ts', '!src/rules/types.ts', '!src/fix/types.ts', '!src/fix/aws.ts']

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: {configFile: 'vitest.mutate.config.mjs'},
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['src/policy/**/*.ts', 'src/rules/**/*.ts', 'src/fix/**/*.ts', 'src/report/baseline.ts', ...notMutated],
  coverageAnalysis: 'perTest',
  // Re-runs test only the mutants whose code or covering tests changed since the last run.
  incremental: true,
  // Kept out of git (reports/ is ignored): it holds the text of every mutated and test file, so it would
  // change with every commit. scripts/mutate.js gives each area its own file.
  incrementalFile: 'reports/mutation/all.incremental.json',
  // Static mutants (module-level values: a rule's metadata, lookup tables) can only be tested by reloading
  // every test file that imports the module, which would dominate a run on a small machine. They are
  // mostly wording (16 of EMR-PASSROLE-001's 83 mutants, all in its title, rationale and sources).
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'html', 'progress'],
  htmlReporter: {fileName: 'reports/mutation/mutation.html'},
  clearTextReporter: {allowColor: false, reportMutants: true, reportTests: false, reportScoreTable: true},
  thresholds: {high: 90, low: 80, break: null},
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
}
