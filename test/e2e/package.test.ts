/**
 * The package as a user gets it: packed, installed globally into a temporary prefix, run from another
 * directory. Packing uses --ignore-scripts because `npm test` has just built dist/ (prepack would rebuild
 * it under the other end-to-end tests' feet); the prepack script is checked to be the build on its own.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli, type CliResult} from './cli.js'

const exec = promisify(execFile)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string
  scripts: Record<string, string>
  dependencies: Record<string, string>
}

let work: string
let packed: string[]
let installedBin: string

function sealedEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: work,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    NO_COLOR: '1',
  }
}

function runInstalled(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(installedBin, args, {env: sealedEnv(), cwd: work, timeout: 60_000}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr})
    })
  })
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'emr-audit-package-'))
  const {stdout} = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {cwd: ROOT, maxBuffer: 16 * 1024 * 1024})
  const [result] = JSON.parse(stdout) as Array<{filename: string; files: Array<{path: string}>}>
  if (!result) throw new Error('npm pack printed no result')
  packed = result.files.map((file) => file.path)
  const prefix = join(work, 'prefix')
  await exec('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(work, result.filename)], {
    cwd: work,
    env: {...process.env, npm_config_update_notifier: 'false'},
    maxBuffer: 16 * 1024 * 1024,
  })
  installedBin = join(prefix, 'bin', 'emr-audit')
}, 300_000)

afterAll(() => {
  if (work) rmSync(work, {recursive: true, force: true})
})

describe('the packed package', () => {
  it('builds before packing, so a clean clone ships dist/', () => {
    expect(manifest.scripts['prepack']).toBe('npm run build')
  })

  it('ships the built CLI and its schemas, and no source maps, sources, tests or development entry point', () => {
    expect(packed).toContain('dist/commands/scan.js')
    expect(packed).toContain('bin/run.js')
    expect(packed).toContain('oclif.manifest.json')
    expect(packed).toContain('schemas/report.schema.json')
    expect(packed).toContain('examples/demo/inventory.json')
    expect(packed.filter((path) => path.endsWith('.map'))).toEqual([])
    expect(packed.filter((path) => path.startsWith('src/') || path.startsWith('test/') || path === 'bin/dev.js')).toEqual([])
    expect(packed.filter((path) => /\.test\.(js|d\.ts)$/.test(path))).toEqual([])
  })

  it('needs no type-only package at run time', () => {
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@types/'))).toEqual([])
  })

  it('installed globally, answers --version, rules and scan --demo from another directory', async () => {
    const version = await runInstalled(['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout).toContain(`emr-audit/${manifest.version}`)

    const rules = await runInstalled(['rules'])
    expect(rules.code).toBe(0)
    expect(rules.stdout).toContain('EMR-PASSROLE-001')

    const demo = await runInstalled(['scan', '--demo', '--format', 'json'])
    expect(demo.code).toBe(1)
    const report = JSON.parse(demo.stdout) as {findings: Array<{status: string}>}
    expect(report.findings.some((finding) => finding.status === 'fail')).toBe(true)
  }, 120_000)

  it('matches what the repository checkout runs', async () => {
    const fromCheckout = await runCli(['rules', '--json'], sealedEnv())
    const installed = await runInstalled(['rules', '--json'])
    expect(installed.stdout).toBe(fromCheckout.stdout)
  })
})
