#!/usr/bin/env node
// The GitHub Action's step (action.yml): turns the action's inputs into one `emr-audit scan`, writes
// SARIF and JSON reports, lets scan append the step summary, and sets the step's outputs. Kept as a
// script (not inline YAML) so the tests can run it as GitHub would: inputs as INPUT_* variables,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files. It runs after the action has built emr-audit, so it
// shares the built escaping layer.
import {spawnSync} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {appendFileSync, existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {forTerminal} from '../dist/shared/escape.js'
import {parseJsonText} from '../dist/shared/validate.js'
import {stepExitCode} from './action-exit.js'

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info']
const RUN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
/** Exit codes after which scan has written its reports (0 clean, 1 findings, 3 incomplete). */
const REPORTED = [0, 1, 3]
/** Inputs arrive as INPUT_<NAME> with the name upper-cased (hyphens kept), as the runner sets them. */
const input = (name) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim()

// Workflow commands escape their message and properties this way (actions/toolkit `escapeData` and
// `escapeProperty`), and any other control character is shown as an escape rather than written raw:
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
const escapeData = (text) => forTerminal(String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'))
const escapeProperty = (text) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

function annotate(level, message) {
  process.stdout.write(`::${level} title=${escapeProperty('emr-audit')}::${escapeData(message)}\n`)
}

function fail(message, code = 2) {
  // A workflow annotation, and exit 2 like any bad input to emr-audit.
  annotate('error', message)
  process.exit(code)
}

/**
 * The multi-line form, `name<<DELIMITER`, value, `DELIMITER`, with a random delimiter that does not occur
 * in the value: no value, whatever it holds, can end early and add an output of its own.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#multiline-strings
 */
function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT
  if (!file) return
  const text = String(value)
  let delimiter = `ghadelimiter_${randomUUID()}`
  while (text.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`
  appendFileSync(file, `${name}<<${delimiter}\n${text}\n${delimiter}\n`)
}

/** A path input: one line, no control characters (a newline in a path is never meant, and breaks what reads it). */
function pathInput(name, fallback = '') {
  const value = input(name) || fallback
  if (/\p{Cc}/u.test(value)) fail(`${name}: a path may not contain control characters or line breaks (got '${value}')`)
  return value
}

function choiceInput(name, choices, fallback) {
  const value = input(name) || fallback
  if (!choices.includes(value)) fail(`${name}: '${value}' is not one of ${choices.join(', ')}`)
  return value
}

const regions = input('regions')
  .split(/[\s,]+/)
  .filter(Boolean)
for (const region of regions) if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) fail(`regions: '${region}' is not an AWS region`)
const failOn = choiceInput('fail-on', SEVERITIES, 'high')
const config = pathInput('config')
if (config && !existsSync(config)) fail(`config: ${config} does not exist`)
const baseline = pathInput('baseline')
const sarif = pathInput('sarif-file', 'emr-audit.sarif')
const json = pathInput('json-file', 'emr-audit.json')
const strict = choiceInput('strict', ['true', 'false'], 'false')

// The table goes to the log (stdout); SARIF and JSON to files. `--flag=value`: a path starting with `-` stays a value.
const args = ['scan', `--fail-on=${failOn}`, '--output', 'table=-', '--output', `sarif=${sarif}`, '--output', `json=${json}`]
for (const region of regions) args.push(`--region=${region}`)
if (config) args.push(`--config=${config}`)
// A first run has no baseline yet: scan everything rather than fail on a missing file.
if (baseline && existsSync(baseline)) args.push(`--baseline=${baseline}`)
else if (baseline) annotate('notice', `baseline ${baseline} not found; every finding counts as new`)
if (strict === 'true') args.push('--strict')

/**
 * The JSON report this scan wrote: an emr-audit report of one account, started after this step did. A
 * file left by an earlier run (or another account's) would give a wrong count.
 */
function readReport(path, startedAt) {
  let report
  try {
    report = parseJsonText(readFileSync(path, 'utf8'))
  } catch (error) {
    return {problem: `json-file ${path}: cannot read the report scan wrote (${error.code ?? error.message})`}
  }
  if (typeof report !== 'object' || report === null || report.schemaVersion !== 1 || !Array.isArray(report.findings))
    return {problem: `json-file ${path}: not an emr-audit JSON report`}
  if (typeof report.account?.id !== 'string' || !/^\d{12}$/.test(report.account.id)) return {problem: `json-file ${path}: the report names no AWS account`}
  const started = Date.parse(report.startedAt)
  if (!(started >= startedAt)) return {problem: `json-file ${path}: the report is from an earlier run (${report.startedAt}), not this one`}
  return {report}
}

const startedAt = Date.now()
const result = spawnSync(process.execPath, [RUN, ...args], {stdio: 'inherit', env: process.env})
const code = result.status ?? 4
setOutput('sarif-file', sarif)
setOutput('json-file', json)
if (REPORTED.includes(code)) {
  const {report, problem} = readReport(json, startedAt)
  if (problem) {
    setOutput('exit-code', 2)
    fail(problem)
  }
  setOutput('failing', report.findings.filter((finding) => finding?.status === 'fail').length)
  setOutput('unknown', report.findings.filter((finding) => finding?.status === 'unknown').length)
}
setOutput('exit-code', code)
const stepCode = stepExitCode(code, strict === 'true')
if (stepCode !== code)
  annotate('warning', 'the scan was incomplete (some sources were denied or unsupported; see the coverage gaps above); strict: false lets the step pass')
process.exit(stepCode)
