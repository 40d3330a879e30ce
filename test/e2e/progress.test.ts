/**
 * Long scans show they are alive: plain progress lines on stderr off a terminal, a live line per region on
 * one, nothing with --quiet; stdout carries only the report. Every call goes through a proxy adding latency,
 * as a far-away endpoint would.
 */
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Proxy} from '../../bench/proxy.js'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startProxiedEmulator} from './proxied.js'
import {REGION} from './seed.js'
import {onTerminal} from './terminal.js'

const RUN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
let emulator: Emulator
let proxy: Proxy

beforeAll(async () => {
  ;({emulator, proxy} = await startProxiedEmulator({latencyMs: 150}))
}, 60_000)

afterAll(async () => {
  await proxy?.close()
  await emulator?.stop()
})

describe('progress of a scan', () => {
  it('off a terminal: plain lines on stderr as sources finish and when the scan ends; only the report on stdout', async () => {
    // One call answers only after 11 s, as on a slow endpoint: the scan outlasts the 10 s before a first line.
    proxy.inject({match: 'ec2:DescribeVpcs', kind: 'hold', times: 1})
    const slowCall = proxy.held().then(() => setTimeout(() => proxy.release(), 11_000))
    const result = await runCli(['scan', '--region', REGION, '--format', 'json'], emulatorEnv(proxy.endpoint))
    await slowCall
    expect(result.code, result.stderr).toBe(3)
    const lines = result.stderr.trim().split('\n')
    // At least one line while it runs (the first 10 s in), and the last when it is done.
    expect(lines.length).toBeGreaterThanOrEqual(2)
    expect(lines.at(-1)).toMatch(/^emr-audit progress: scanned in \d+s$/)
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^emr-audit progress: scanning global \d\/6, us-east-1 \d+\/13 sources · \d+s$/)
    expect(result.stderr).not.toContain('\u001b')
    const report = JSON.parse(result.stdout) as {account: {id: string}}
    expect(report.account.id).toBe('123456789012')
  })

  it('--quiet prints nothing but the report', async () => {
    const result = await runCli(['scan', '--region', REGION, '--format', 'json', '--quiet'], emulatorEnv(proxy.endpoint))
    expect(result.code).toBe(3)
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toHaveProperty('findings')
  })

  it('--quiet still prints errors', async () => {
    const result = await runCli(['scan', '--region', REGION, '--quiet', '--checks', 'EMR-NOPE-1'], emulatorEnv(proxy.endpoint))
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^emr-audit: --checks: no rule matches "EMR-NOPE-1"/)
  })

  it('on a terminal: a live line per region with sources done and time, erased before the report', async () => {
    const {code, output} = await onTerminal([process.execPath, RUN, 'scan', '--region', REGION], {
      prompt: 'a prompt that never comes',
      answer: '',
      env: emulatorEnv(proxy.endpoint),
    })
    expect(code).toBe(3)
    expect(output).toMatch(/⠿ global +\d\/6 sources {2}\d+s/)
    expect(output).toMatch(/⠿ us-east-1 +\d+\/13 sources {2}\d+s/)
    // The last live frame is erased (cursor up, clear to the end of the screen) before the report starts.
    const report = output.indexOf('emr-audit 0.')
    expect(report).toBeGreaterThan(0)
    expect(output.slice(0, report).endsWith('\u001b[2A\u001b[0J')).toBe(true)
    expect(output.slice(report)).not.toContain('sources  ')
  })
})
