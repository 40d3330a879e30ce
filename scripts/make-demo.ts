/**
 * Regenerates examples/demo/: seeds the demo account into the emulator, scans it with the built CLI,
 * and writes the inventory, the config it was scanned with, and the findings it yields (which a test
 * compares with a fresh analysis of the committed inventory). Run with `npm run demo:generate` whenever
 * the inventory schema or the rules change.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {DEMO_CONFIG, DEMO_MISTAKES, seedDemoAccount} from '../test/e2e/demo-account.js'
import {startEmulator} from '../test/e2e/moto.js'
import {clients} from '../test/e2e/seed.js'

// The SDK warns about Node 20 on every client; the CLI silences it the same way (bin/run.js).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = '1'
const root = new URL('../../', import.meta.url)
const demo = (name: string) => fileURLToPath(new URL(`examples/demo/${name}`, root))

const emulator = await startEmulator()
try {
  await seedDemoAccount(clients(emulator.endpoint))
  writeFileSync(demo('emr-audit.yaml'), DEMO_CONFIG)
  const env = {
    PATH: process.env['PATH'],
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: 'demo',
    AWS_SECRET_ACCESS_KEY: 'demo',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  }
  const run = fileURLToPath(new URL('bin/run.js', root))
  try {
    execFileSync(process.execPath, [run, 'scan', '--config', demo('emr-audit.yaml'), '--save-inventory', demo('inventory.json'), '--format', 'json'], {env, stdio: ['ignore', 'ignore', 'inherit']})
  } catch {
    // Exit 1 (failing findings) or 3 (the emulator lacks two EMR listings) is what a demo scan gives.
  }
  const offline = spawnSync(process.execPath, [run, 'scan', '--demo', '--format', 'json'], {env: {...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9'}, encoding: 'utf8'})
  const report = JSON.parse(offline.stdout || '{}') as {
    findings?: Array<{ruleId: string; status: string; resource: {id: string}}>
  }
  const failing = (report.findings ?? []).filter((finding) => finding.status === 'fail').map((finding) => `${finding.ruleId} ${finding.resource.id}`)
  const missing = Object.keys(DEMO_MISTAKES).filter((ruleId) => !failing.some((entry) => entry.startsWith(`${ruleId} `)))
  if (missing.length > 0) throw new Error(`the demo no longer shows: ${missing.join(', ')}`)
  writeFileSync(demo('expected-findings.json'), `${JSON.stringify([...new Set(failing)].sort(), null, 2)}\n`)
  console.log(`examples/demo: ${failing.length} failing findings, every planted mistake found`)
} finally {
  await emulator.stop()
}
