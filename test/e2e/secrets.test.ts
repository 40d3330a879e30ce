/**
 * Credentials and secret values never reach any output: not the report, not the saved inventory, not
 * stderr, not --debug stack traces — even when an endpoint echoes the request's credentials back.
 */
import {mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CreateSecretCommand} from '@aws-sdk/client-secrets-manager'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Proxy} from '../../bench/proxy.js'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startProxiedEmulator} from './proxied.js'
import {clients, REGION} from './seed.js'

const KEY_ID = 'AKIAEMRAUDITTEST0001'
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEMRAUDITKEY'
const SESSION_TOKEN = 'FwoGZXIvYXdzEMRAUDITSESSIONTOKENvalue0123456789'
const SECRET_VALUE = 'hunter2-never-printed-0xC0FFEE'

let emulator: Emulator
let proxy: Proxy
let dir: string

const credentials = () => ({...emulatorEnv(proxy.endpoint), AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN})

function expectNoCredentials(text: string): void {
  for (const value of [KEY_ID, SECRET_KEY, SESSION_TOKEN, SECRET_VALUE]) expect(text).not.toContain(value)
}

beforeAll(async () => {
  ;({emulator, proxy} = await startProxiedEmulator())
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-secrets-'))
  await clients(emulator.endpoint).secrets.send(new CreateSecretCommand({Name: 'emr-studio-git', SecretString: SECRET_VALUE}))
}, 60_000)

afterAll(async () => {
  await proxy?.close()
  await emulator?.stop()
})

describe('credentials and secret values', () => {
  it('a scan whose endpoint echoes the credentials: the report, the inventory and --debug output are redacted', async () => {
    proxy.inject({match: 'ec2:DescribeVpcs', kind: 'echo-credentials'})
    const inventoryPath = join(dir, 'inventory.json')
    const result = await runCli(['scan', '--region', REGION, '--format', 'json', '--debug', '--save-inventory', inventoryPath], credentials())
    proxy.clearFaults()
    expect(result.code).toBe(3)
    const report = JSON.parse(result.stdout) as {coverage: Array<{action?: string; message?: string}>}
    // The echo happened, and what it echoed was masked.
    expect(report.coverage.find((outcome) => outcome.action === 'ec2:DescribeVpcs')?.message).toMatch(
      /Credential=\[redacted\].*Signature=\[redacted\] and token \[redacted\]/,
    )
    const inventory = await readFile(inventoryPath, 'utf8')
    expect(inventory).toContain('emr-studio-git')
    for (const text of [result.stdout, result.stderr, inventory]) expectNoCredentials(text)
  }, 60_000)

  it('rejected credentials echoed back: the one line and the --debug stack trace are redacted', async () => {
    proxy.inject({match: () => true, kind: 'echo-credentials-rejected'})
    const result = await runCli(['scan', '--region', REGION, '--format', 'json', '--debug'], credentials())
    proxy.clearFaults()
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('[redacted]')
    expect(result.stderr).toMatch(/^\s+at /m)
    expectNoCredentials(result.stdout + result.stderr)
  }, 60_000)

  it('fix and rollback never print them either', async () => {
    proxy.inject({match: 'secretsmanager:ListSecrets', kind: 'echo-credentials'})
    const result = await runCli(['fix', '--region', REGION, '--format', 'json', '--debug'], credentials())
    proxy.clearFaults()
    expect(result.code).toBe(0)
    expectNoCredentials(result.stdout + result.stderr)
  }, 60_000)
})
