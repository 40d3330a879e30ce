/**
 * Regenerates examples/demo/: seeds the demo account into the emulator, scans it with the built CLI,
 * and writes the inventory, the config it was scanned with, and the findings it yields (which a test
 * compares with a fresh analysis of the committed inventory). Run with `npm run demo:generate` whenever
 * the inventory schema or the rules change.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {DEMO_CONFIG, DEMO_MISTAKES, seedDemoAccount} from '../test/e2e/demo-account.js'
import {startEmulator} from '../test/e2e/moto.js'
import {clients} from '../test/e2e/seed.js'
import type {Inventory} from '../src/inventory/schema.js'

/**
 * The demo stands for a real account, whose EMR endpoint answers the two listings the emulator lacks
 * (ListSecurityConfigurations, ListStudios): a user must not see the emulator's "HTTP 500 with a non-API
 * error page" as if it were theirs. Here is what those listings would have returned: the security
 * configurations the clusters use, and the Studio (IAM authentication, so no session mappings).
 */
function asARealAccountAnswers(inventory: Inventory): Inventory {
  const emulated = new Set(['emr.securityConfigurations', 'emr.studios'])
  const coverage = inventory.coverage.map((outcome) =>
    emulated.has(outcome.source) && outcome.status === 'unsupported' ? {source: outcome.source, region: outcome.region, status: 'ok' as const} : outcome,
  )
  for (const studio of inventory.emr.studios) {
    if (!coverage.some((outcome) => outcome.source === 'emr.studioSessionMappings' && outcome.region === studio.region))
      coverage.push({source: 'emr.studioSessionMappings', region: studio.region, status: 'ok'})
  }
  return {
    ...inventory,
    coverage: coverage.sort((a, b) => `${a.source}|${a.region}`.localeCompare(`${b.source}|${b.region}`)),
    emr: {
      ...inventory.emr,
      securityConfigurations: inventory.emr.securityConfigurations.map((entry) => ({
        ...entry,
        origins: [...new Set([...entry.origins, 'listed' as const])].sort(),
      })),
      studios: inventory.emr.studios.map((studio) => ({...studio, origin: 'api' as const, sessionMappings: studio.sessionMappings ?? []})),
    },
  }
}

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
    execFileSync(process.execPath, [run, 'scan', '--config', demo('emr-audit.yaml'), '--save-inventory', demo('inventory.json'), '--format', 'json'], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    })
  } catch {
    // Exit 1 (failing findings) or 3 (the emulator lacks two EMR listings) is what a demo scan gives.
  }
  writeFileSync(
    demo('inventory.json'),
    `${JSON.stringify(asARealAccountAnswers(JSON.parse(readFileSync(demo('inventory.json'), 'utf8')) as Inventory), null, 2)}\n`,
  )
  const offline = spawnSync(process.execPath, [run, 'scan', '--demo', '--format', 'json'], {
    env: {...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9'},
    encoding: 'utf8',
  })
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
