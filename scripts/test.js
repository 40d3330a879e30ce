#!/usr/bin/env node
// Runs vitest (all projects, or the arguments given), then prints one plain closing line,
// "tests: N passed, N failed", so any CI reads the outcome the same way. Exits with vitest's code.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const dir = mkdtempSync(join(tmpdir(), 'emr-audit-tests-'))
const resultsFile = join(dir, 'results.json')
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)],
  {stdio: 'inherit', env: {...process.env, AWS_EC2_METADATA_DISABLED: 'true'}},
)
let passed = 0
let failed = 0
let skipped = 0
try {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'))
  passed = results.numPassedTests
  failed = results.numFailedTests + (results.numFailedTestSuites > 0 && results.numFailedTests === 0 ? results.numFailedTestSuites : 0)
  skipped = results.numPendingTests + results.numTodoTests
} catch {
  failed = Math.max(failed, 1)
}
rmSync(dir, {recursive: true, force: true})
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
const code = run.status ?? 1
process.exit(code !== 0 ? code : failed > 0 || passed === 0 ? 1 : 0)
