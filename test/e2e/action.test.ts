/**
 * The GitHub Action, run the way the runner runs it: action.yml's scan step is `node scripts/action.js`
 * with the inputs as INPUT_* variables and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY as files, here against the
 * emulator seeded with the demo account.
 */
import {execFile} from 'node:child_process'
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {DEMO_CONFIG, seedDemoAccount} from './demo-account.js'
import {emulatorEnv} from './cli.js'
import type {Emulator} from './moto.js'
import {startFrontedEmulator} from './proxied.js'
import {clients} from './seed.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

interface Action {
  inputs: Record<string, {default?: string}>
  outputs: Record<string, {value: string}>
  runs: {using: string; steps: Array<{id?: string; run?: string; env?: Record<string, string>}>}
}

let emulator: Emulator
let dir: string

beforeAll(async () => {
  emulator = await startFrontedEmulator()
  await seedDemoAccount(clients(emulator.endpoint))
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-action-'))
  await writeFile(join(dir, 'emr-audit.yaml'), DEMO_CONFIG)
}, 120_000)

afterAll(async () => {
  await emulator?.stop()
})

/**
 * GITHUB_OUTPUT read as the runner reads it: `name=value` lines, and `name<<DELIMITER` blocks whose value
 * runs to the line holding only DELIMITER.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#multiline-strings
 */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    const block = /^([^=]+?)<<(.+)$/.exec(line)
    if (block) {
      const end = lines.indexOf(block[2] as string, index + 1)
      if (end < 0) throw new Error(`GITHUB_OUTPUT: ${block[1]} has no closing delimiter`)
      outputs[block[1] as string] = lines.slice(index + 1, end).join('\n')
      index = end
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return outputs
}

/** The action's inputs with their defaults, overridden, as the runner passes them to the scan step. */
async function runAction(
  inputs: Record<string, string>,
  name: string,
): Promise<{code: number; stdout: string; stderr: string; outputs: Record<string, string>; outputFile: string; summary: string}> {
  const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as Action
  const env: NodeJS.ProcessEnv = {
    ...emulatorEnv(emulator.endpoint),
    AWS_REGION: 'us-east-1',
    GITHUB_OUTPUT: join(dir, `${name}.output`),
    GITHUB_STEP_SUMMARY: join(dir, `${name}.summary`),
  }
  for (const [input, spec] of Object.entries(action.inputs)) env[`INPUT_${input.toUpperCase()}`] = inputs[input] ?? spec.default ?? ''
  await writeFile(env['GITHUB_OUTPUT'] as string, '')
  await writeFile(env['GITHUB_STEP_SUMMARY'] as string, '')
  const step = action.runs.steps.find((entry) => entry.id === 'scan')
  const script = /node "\$GITHUB_ACTION_PATH\/(scripts\/action\.js)"/.exec(step?.run ?? '')?.[1]
  expect(script).toBe('scripts/action.js')
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, script as string)], {env, cwd: dir, timeout: 90_000, maxBuffer: 32 * 1024 * 1024}, async (error, stdout, stderr) => {
      const outputFile = await readFile(env['GITHUB_OUTPUT'] as string, 'utf8')
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
        stdout,
        stderr,
        outputs: parseOutputFile(outputFile),
        outputFile,
        summary: await readFile(env['GITHUB_STEP_SUMMARY'] as string, 'utf8'),
      })
    })
  })
}

describe('the GitHub Action', () => {
  it('is a composite action whose scan step passes every input through', async () => {
    const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as Action
    expect(action.runs.using).toBe('composite')
    const step = action.runs.steps.find((entry) => entry.id === 'scan')
    for (const input of ['regions', 'config', 'fail-on', 'baseline', 'sarif-file']) {
      expect(action.inputs, input).toHaveProperty(input)
      expect(step?.env?.[`INPUT_${input.toUpperCase()}`]).toBe(`\${{ inputs.${input} }}`)
    }
    for (const output of Object.values(action.outputs)) expect(output.value).toMatch(/^\$\{\{ steps\.scan\.outputs\.[a-z-]+ \}\}$/)
    // The credential chain is left alone: on a self-hosted EC2 runner the instance role is a valid source.
    expect(JSON.stringify(action.runs.steps)).not.toContain('AWS_EC2_METADATA_DISABLED')
  })

  it('scans, writes SARIF and JSON, appends the step summary, sets outputs, and fails the step on findings', async () => {
    const result = await runAction({regions: 'us-east-1', config: 'emr-audit.yaml', 'fail-on': 'critical'}, 'first')
    expect(result.code).toBe(1)
    const sarif = JSON.parse(await readFile(join(dir, 'emr-audit.sarif'), 'utf8')) as {version: string; runs: Array<{results: unknown[]}>}
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0]?.results.length).toBeGreaterThan(10)
    expect(result.summary).toMatch(/emr-audit/)
    expect(result.summary).toContain('EMR-PROFILE-001')
    expect(result.outputs).toMatchObject({'exit-code': '1', 'sarif-file': 'emr-audit.sarif', 'json-file': 'emr-audit.json'})
    expect(Number(result.outputs['failing'])).toBeGreaterThan(10)
    expect(result.stdout).toContain('EMR-PASSROLE-001')
    // Every output in the delimiter form: no value can end its line early.
    expect(result.outputFile.split('\n').filter((line) => /^[a-z-]+=/.test(line))).toEqual([])
    expect(result.outputFile).toMatch(/^failing<<ghadelimiter_[0-9a-f-]{36}$/m)
  }, 120_000)

  it('with the last report as baseline, nothing new fails the step; a missing baseline is a notice, not an error', async () => {
    const again = await runAction(
      {
        regions: 'us-east-1',
        config: 'emr-audit.yaml',
        'fail-on': 'critical',
        baseline: 'emr-audit.json',
        'json-file': 'second.json',
        'sarif-file': 'second.sarif',
      },
      'second',
    )
    // Nothing new: only the emulator's two missing EMR listings keep the scan incomplete (exit 3), which
    // passes the step with strict: false (the default), with a warning annotation.
    expect(again.outputs['exit-code']).toBe('3')
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^::warning title=emr-audit::the scan was incomplete/m)
    const report = JSON.parse(await readFile(join(dir, 'second.json'), 'utf8')) as {findings: Array<{status: string}>}
    expect(again.outputs['unknown']).toBe(String(report.findings.filter((finding) => finding.status === 'unknown').length))
    const strict = await runAction(
      {
        regions: 'us-east-1',
        config: 'emr-audit.yaml',
        'fail-on': 'critical',
        baseline: 'emr-audit.json',
        'json-file': 'strict.json',
        'sarif-file': 'strict.sarif',
        strict: 'true',
      },
      'strict',
    )
    // strict: true runs scan --strict, which turns the incomplete scan into a failure (exit 1).
    expect(strict.code).toBe(1)
    expect(strict.outputs['exit-code']).toBe('1')
    expect(strict.stdout).not.toMatch(/^::warning title=emr-audit::the scan was incomplete/m)
    const first = await runAction({regions: 'us-east-1', config: 'emr-audit.yaml', baseline: 'not-there-yet.json'}, 'third')
    expect(first.stdout).toContain('::notice title=emr-audit::baseline not-there-yet.json not found')
    expect(first.code).toBe(1)
  }, 120_000)

  it('rejects a bad input with an annotation and exit 2, before scanning', async () => {
    const bad = await runAction({'fail-on': 'severe'}, 'bad')
    expect(bad.code).toBe(2)
    expect(bad.stdout).toContain("::error title=emr-audit::fail-on: 'severe' is not one of critical, high, medium, low, info")
    const missing = await runAction({config: 'nope.yaml'}, 'missing')
    expect(missing.code).toBe(2)
    expect(missing.stdout).toContain('::error title=emr-audit::config: nope.yaml does not exist')
  }, 60_000)

  it('a newline in an input cannot add or forge an output, and the annotation shows it escaped', async () => {
    const forged = await runAction({'json-file': 'r.json\nfailing=0'}, 'forged')
    expect(forged.code).toBe(2)
    expect(forged.stdout).toContain("::error title=emr-audit::json-file: a path may not contain control characters or line breaks (got 'r.json%0Afailing=0')")
    expect(forged.outputs).toEqual({})
    const annotation = await runAction({'fail-on': 'high\n::warning title=forged::x'}, 'annotation')
    expect(annotation.code).toBe(2)
    expect(annotation.stdout.split('\n').filter((line) => line.startsWith('::'))).toEqual([
      "::error title=emr-audit::fail-on: 'high%0A::warning title=forged::x' is not one of critical, high, medium, low, info",
    ])
    for (const [input, value] of [
      ['strict', 'yes'],
      ['regions', 'us-east-1 ../etc'],
      ['sarif-file', 'a\rb'],
    ]) {
      const bad = await runAction({[input as string]: value as string}, `bad-${input}`)
      expect(bad.code, input).toBe(2)
      expect(bad.stdout, input).toMatch(new RegExp(`^::error title=emr-audit::${input}: `, 'm'))
    }
  }, 60_000)

  it('after a scan that exits 2, an old JSON report is not read: no failing count', async () => {
    await writeFile(
      join(dir, 'old.json'),
      JSON.stringify({schemaVersion: 1, account: {id: '123456789012'}, startedAt: '2020-01-01T00:00:00.000Z', findings: []}),
    )
    await writeFile(join(dir, 'broken.yaml'), 'regions: [us-east-1\n')
    const result = await runAction({config: 'broken.yaml', 'json-file': 'old.json'}, 'stale')
    expect(result.code).toBe(2)
    expect(result.outputs['exit-code']).toBe('2')
    expect(result.outputs).not.toHaveProperty('failing')
  }, 60_000)

  it('a report path that scan refuses (a device) is a clear error, not a crash, and no count is read', async () => {
    const result = await runAction({regions: 'us-east-1', config: 'emr-audit.yaml', 'json-file': '/dev/null', 'sarif-file': 'devnull.sarif'}, 'unreadable')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('/dev/null')
    expect(result.stderr).not.toMatch(/at .*action\.js/)
    expect(result.outputs).toMatchObject({'exit-code': '2'})
    expect(result.outputs).not.toHaveProperty('failing')
  }, 120_000)
})
