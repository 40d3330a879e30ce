#!/usr/bin/env node
// The GitHub Action's step (action.yml): turns the action's inputs into one `emr-audit scan`, writes
// SARIF and JSON reports, lets scan append the step summary, and sets the step's outputs. Kept as a
// script (not inline YAML) so the tests can run it as GitHub would: inputs as INPUT_* variables,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files.
import {spawnSync} from 'node:child_process'
import {appendFileSync, existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info']
const RUN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

/** Inputs arrive as INPUT_<NAME> with the name upper-cased (hyphens kept), as the runner sets them. */
const input = (name) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim()

function fail(message) {
  // A workflow annotation, and exit 2 like any bad input to emr-audit.
  process.stdout.write(`::error title=emr-audit::${message}\n`)
  process.exit(2)
}

function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT
  if (file) appendFileSync(file, `${name}=${value}\n`)
}

const regions = input('regions').split(/[\s,]+/).filter(Boolean)
const failOn = input('fail-on') || 'high'
if (!SEVERITIES.includes(failOn)) fail(`fail-on: '${failOn}' is not one of ${SEVERITIES.join(', ')}`)
const config = input('config')
if (config && !existsSync(config)) fail(`config: ${config} does not exist`)
const baseline = input('baseline')
const sarif = input('sarif-file') || 'emr-audit.sarif'
const json = input('json-file') || 'emr-audit.json'
const strict = input('strict')
if (strict && strict !== 'true' && strict !== 'false') fail(`strict: expected true or false, got '${strict}'`)

// The table goes to the log (stdout); SARIF and JSON to files.
const args = ['scan', '--fail-on', failOn, '--output', 'table=-', '--output', `sarif=${sarif}`, '--output', `json=${json}`]
for (const region of regions) args.push('--region', region)
if (config) args.push('--config', config)
// A first run has no baseline yet: scan everything rather than fail on a missing file.
if (baseline && existsSync(baseline)) args.push('--baseline', baseline)
else if (baseline) process.stdout.write(`::notice title=emr-audit::baseline ${baseline} not found; every finding counts as new\n`)
if (strict === 'true') args.push('--strict')

const result = spawnSync(process.execPath, [RUN, ...args], {stdio: 'inherit', env: process.env})
const code = result.status ?? 4
setOutput('exit-code', code)
setOutput('sarif-file', sarif)
setOutput('json-file', json)
if (existsSync(json)) {
  const report = JSON.parse(readFileSync(json, 'utf8'))
  const failing = (report.findings ?? []).filter((finding) => finding.status === 'fail').length
  setOutput('failing', failing)
}
process.exit(code)
