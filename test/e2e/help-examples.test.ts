/**
 * Every example in every command's --help works when pasted: each runs as written (with `emr-audit`
 * being the built CLI) in a shell, against the emulator seeded with the demo account, in a working
 * directory holding the files examples refer to. Examples that apply or roll back without --yes run on a
 * pseudo-terminal and answer the prompt. The demo examples run with no emulator at all.
 */
import {execFile} from 'node:child_process'
import {copyFile, mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {existsSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {seedDemoAccount} from './demo-account.js'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startFrontedEmulator} from './proxied.js'
import {onTerminal} from './terminal.js'
import {clients} from './seed.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RUN = join(ROOT, 'bin', 'run.js')

interface Example {
  command: string
  example: string
}

/**
 * The exit code each example must give here, by the exit codes its command's --help documents (0 ok, 1
 * failing findings or failed changes, 2 bad usage, 3 incomplete), in this test's account: the demo
 * account seeded in the emulator, which has failing findings at every severity the demo has (critical
 * and high included), and whose scans are incomplete because the emulator lacks two EMR listings.
 */
const EXPECTED_EXIT: Record<string, {code: number; why: string}> = {
  'fix: emr-audit fix --demo': {code: 0, why: 'a dry run prints the plan'},
  'fix: emr-audit fix --region us-east-1': {code: 0, why: 'a dry run prints the plan'},
  'fix: emr-audit fix --only EMR-TAG-001 --only EMR-TAG-002 --format json --output plan.json': {code: 0, why: 'a dry run writes the plan'},
  'fix: emr-audit fix --apply --yes --max-changes 10 --journal fix-journal.json': {code: 0, why: 'every change applied (the plan has at most 10 to make)'},
  'fix: emr-audit fix --format json --output plan.json && emr-audit fix --apply --plan plan.json': {
    code: 0,
    why: 'the reviewed plan applied, or skipped where the previous example already made it',
  },
  'fix: emr-audit rollback fix-journal.json': {code: 0, why: 'every entry restored'},
  'merge: emr-audit merge reports/*.json --output sarif=all.sarif --output json=all.json': {
    code: 1,
    why: 'the merged reports have failing findings at high and above',
  },
  'permissions: emr-audit permissions': {code: 0, why: 'the policy printed'},
  'permissions: emr-audit permissions --partition aws-cn > emr-audit-policy.json': {code: 0, why: 'the policy printed'},
  'permissions: emr-audit permissions --fix --account-id 123456789012 --config emr-audit.yaml': {code: 0, why: 'the policy printed'},
  'permissions: emr-audit permissions --fix --plan plan.json': {code: 0, why: 'the policy printed'},
  'rollback: emr-audit rollback emr-audit-journal-20261123T154500Z.json': {code: 0, why: 'every entry restored'},
  'rollback: emr-audit rollback fix-journal.json --yes --format json': {code: 0, why: 'already rolled back by the fix example: nothing refused or failed'},
  'rules: emr-audit rules': {code: 0, why: 'the list printed'},
  'rules: emr-audit rules EMR-TAG-001': {code: 0, why: 'the rule explained'},
  'rules: emr-audit rules --group TAG --json': {code: 0, why: 'the list printed'},
  'scan: emr-audit scan --demo': {code: 1, why: 'the demo has failing findings (README "Quick start")'},
  'scan: emr-audit scan': {code: 1, why: 'failing findings at high and above'},
  'scan: emr-audit scan --profile audit --region us-east-1 --region eu-west-1': {code: 1, why: 'failing findings at high and above'},
  'scan: emr-audit scan --format json --output report.json --fail-on critical': {code: 1, why: 'failing critical findings'},
  'scan: emr-audit scan --output sarif=emr-audit.sarif --output junit=emr-audit.xml --output json=emr-audit.json': {
    code: 1,
    why: 'failing findings at high and above',
  },
  'scan: emr-audit scan --baseline previous.json --fail-on high': {code: 3, why: 'no finding is new since previous.json, and the scan is incomplete'},
  'scan: emr-audit scan --assume-role EmrAuditReadOnly --accounts 111111111111,222222222222 --format json --output all.json': {
    code: 3,
    why: 'the emulator keeps each account apart and these two are empty: nothing fails, and the scans are incomplete',
  },
  'scan: emr-audit scan --save-inventory inventory.json && emr-audit scan --inventory inventory.json': {code: 1, why: 'failing findings at high and above'},
  'scan: emr-audit scan --region us-east-1 --security-hub': {
    code: 1,
    why: 'failing findings at high and above (Security Hub is not enabled in the emulator: a coverage gap besides)',
  },
  'rules: emr-audit rules --compliance FSBP': {code: 0, why: 'the mapping printed'},
  'preflight: emr-audit preflight cluster.json --region us-east-1': {
    code: 1,
    why: 'will fail to launch: the demo account has no EMR_DefaultRole nor EMR_EC2_DefaultRole (EMR-ROLE-001, EMR-PROFILE-002)',
  },
  'preflight: emr-audit preflight cluster.json --inventory inventory.json --as arn:aws:iam::123456789012:role/deployer --format sarif --output preflight.sarif':
    {code: 1, why: 'will fail to launch: as above, from the saved inventory'},
  'preflight: emr-audit preflight tfplan.json --region us-east-1': {
    code: 1,
    why: 'will fail to launch: the plan names a security configuration the demo account does not have (EMR-SECCFG-001)',
  },
  'preflight: emr-audit preflight template.yaml --parameter SubnetTag=true --region us-east-1 --format sarif --output template.sarif': {
    code: 1,
    why: 'will fail to launch: the template names a security configuration the demo account does not have (EMR-SECCFG-001)',
  },
}

let emulator: Emulator
let dir: string
let env: NodeJS.ProcessEnv

function examples(): Example[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, {examples?: Array<string | {command: string}>}>
  }
  return Object.entries(manifest.commands).flatMap(([command, entry]) =>
    (entry.examples ?? []).map((example) => ({
      command,
      example: (typeof example === 'string' ? example : example.command).replaceAll('<%= config.bin %>', 'emr-audit').replaceAll('<%= command.id %>', command),
    })),
  )
}

/** Runs one example line in bash, `emr-audit` being the built CLI; on a pseudo-terminal when it will ask. */
function run(example: string): Promise<{code: number; output: string}> {
  const shell = `emr-audit() { "${process.execPath}" "${RUN}" "$@"; }; ${example}`
  const asks = (/ --apply\b/.test(example) || /^emr-audit rollback /.test(example)) && !/ --yes\b/.test(example)
  if (asks) return onTerminal(['bash', '-c', shell], {prompt: '[y/N]', answer: 'y', env, cwd: dir, timeout: 100_000})
  return new Promise((resolve) => {
    execFile('bash', ['-c', shell], {env, cwd: dir, timeout: 100_000, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
      // Killed (a timeout) is a failure, whatever the code: -1 is no exit code an example may give.
      resolve({code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, output: `${stdout}${stderr}`})
    })
  })
}

beforeAll(async () => {
  emulator = await startFrontedEmulator()
  await seedDemoAccount(clients(emulator.endpoint))
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-examples-'))
  // A named profile for `--profile audit`, and the files examples read.
  await writeFile(join(dir, 'credentials'), '[audit]\naws_access_key_id = testing\naws_secret_access_key = testing\n')
  await writeFile(join(dir, 'config'), '[profile audit]\nregion = us-east-1\n')
  env = {
    ...emulatorEnv(emulator.endpoint),
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
  }
  const previous = await runCli(['scan', '--format', 'json', '--output', join(dir, 'previous.json')], env, dir)
  expect(existsSync(join(dir, 'previous.json')), previous.stderr).toBe(true)
  await mkdir(join(dir, 'reports'))
  await copyFile(join(dir, 'previous.json'), join(dir, 'reports', 'one.json'))
  await runCli(['scan', '--demo', '--format', 'json', '--output', join(dir, 'reports', 'two.json')], env, dir)
  await writeFile(join(dir, 'emr-audit.yaml'), 'regions: [us-east-1]\nserviceRoles: [analytics-emr-service]\n')
  // preflight's examples: a RunJobFlow request, a saved inventory, a Terraform plan and a CloudFormation template.
  await writeFile(
    join(dir, 'cluster.json'),
    JSON.stringify({
      Name: 'etl',
      ReleaseLabel: 'emr-7.1.0',
      ServiceRole: 'EMR_DefaultRole',
      JobFlowRole: 'EMR_EC2_DefaultRole',
      Instances: {MasterInstanceType: 'm5.xlarge', InstanceCount: 3},
    }),
  )
  await runCli(['scan', '--save-inventory', join(dir, 'inventory.json'), '--format', 'json', '--quiet'], env, dir)
  await copyFile(join(ROOT, 'test', 'fixtures', 'preflight', 'terraform-plan.json'), join(dir, 'tfplan.json'))
  await copyFile(join(ROOT, 'test', 'fixtures', 'preflight', 'cloudformation-template.yaml'), join(dir, 'template.yaml'))
}, 120_000)

afterAll(async () => {
  await emulator?.stop()
})

describe('every --help example works when pasted', () => {
  const all = examples()

  it('there are examples for every command that has flags worth showing', () => {
    expect(new Set(all.map((entry) => entry.command))).toEqual(new Set(['fix', 'merge', 'permissions', 'preflight', 'rollback', 'rules', 'scan']))
  })

  it('every example has its documented exit code, and every documented one is still an example', () => {
    expect(all.map((entry) => `${entry.command}: ${entry.example}`).sort()).toEqual(Object.keys(EXPECTED_EXIT).sort())
  })

  it.each(all.map((entry) => [entry.command, entry.example]))(
    '%s: %s',
    async (command, example) => {
      // The rollback example names a journal by its default timestamped name: give it one to undo.
      if (example.includes('emr-audit-journal-20261123T154500Z.json') && !existsSync(join(dir, 'emr-audit-journal-20261123T154500Z.json'))) {
        await runCli(['fix', '--apply', '--yes', '--only', 'EMR-TAG-001', '--journal', join(dir, 'emr-audit-journal-20261123T154500Z.json')], env, dir)
      }
      const expected = EXPECTED_EXIT[`${command}: ${example}`]
      const result = await run(example)
      expect(result.code, `${expected?.why ?? 'no documented exit code'}\n${result.output.slice(-2000)}`).toBe(expected?.code)
      expect(result.output).not.toMatch(/unexpected error|Error: |command .* not found/i)
    },
    150_000,
  )

  it('the examples left what they promise behind', async () => {
    expect(JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8'))).toMatchObject({schemaVersion: 2})
    expect(JSON.parse(await readFile(join(dir, 'all.json'), 'utf8'))).toHaveProperty('findings')
    expect(JSON.parse(await readFile(join(dir, 'emr-audit-policy.json'), 'utf8'))).toHaveProperty('Statement')
    expect(JSON.parse(await readFile(join(dir, 'fix-journal.json'), 'utf8')).entries.length).toBeGreaterThan(0)
    expect(JSON.parse(await readFile(join(dir, 'template.sarif'), 'utf8'))).toHaveProperty('runs')
  })
})
