/**
 * `npm run bench`: seeds accounts of several sizes into the emulator, scans them through a forwarding
 * server that adds latency and counts calls, and prints calls by operation, total calls against the
 * minimal set for the seeded shape, wall time against the latency floor, and peak memory.
 *
 *   node dist-bench/bench/run.js [--sizes 200,2000] [--latency 50] [--throttle-check] [--offline 2000,20000]
 *
 * `--offline` analyses the inventory saved from the largest live size, replicated to each given size
 * (bench/realistic.ts), beside the time node itself takes to read and parse the same file. The run ends
 * with issue 17's targets as measured: limit, figure, met or not (it never fails on them).
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {EMRClient, RunJobFlowCommand} from '@aws-sdk/client-emr'
import {AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient} from '@aws-sdk/client-iam'
import type {Inventory} from '../src/inventory/schema.js'
import {startEmulator} from '../test/e2e/moto.js'
import {startProxy, type Proxy} from './proxy.js'
import {replicate, seedWorkloadRoles} from './realistic.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'

const REGIONS = ['us-east-1', 'eu-west-1']
const CLUSTERS_PER_REGION = 10
const CONCURRENCY = 8
const UNSUPPORTED = ['elasticmapreduce:ListSecurityConfigurations', 'elasticmapreduce:ListStudios', 'elasticmapreduce:ListStudioSessionMappings']
const CLI = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const credentials = {accessKeyId: 'bench', secretAccessKey: 'bench'}
/** The emulator's default account id. */
const ACCOUNT = '123456789012'
const MANAGED = ['arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2', 'arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceforEC2Role']

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`)
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback
}

const trust = (service: string) =>
  JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]})

async function seed(moto: string, proxy: Proxy, roles: number): Promise<void> {
  const iam = new IAMClient({endpoint: moto, region: 'us-east-1', credentials})
  await iam.send(new CreateRoleCommand({RoleName: 'EMR_DefaultRole', AssumeRolePolicyDocument: trust('elasticmapreduce.amazonaws.com')}))
  await iam.send(new AttachRolePolicyCommand({RoleName: 'EMR_DefaultRole', PolicyArn: MANAGED[0]}))
  await iam.send(new CreateRoleCommand({RoleName: 'EMR_EC2_DefaultRole', AssumeRolePolicyDocument: trust('ec2.amazonaws.com')}))
  await iam.send(new AttachRolePolicyCommand({RoleName: 'EMR_EC2_DefaultRole', PolicyArn: MANAGED[1]}))
  await iam.send(new CreateInstanceProfileCommand({InstanceProfileName: 'EMR_EC2_DefaultRole'}))
  await iam.send(new AddRoleToInstanceProfileCommand({InstanceProfileName: 'EMR_EC2_DefaultRole', RoleName: 'EMR_EC2_DefaultRole'}))
  // The bulk of the account: workload roles unrelated to EMR, with the policies real ones carry.
  await seedWorkloadRoles(iam, ACCOUNT, roles - 2)
  // Clusters go through the forwarding server, which files them under their region.
  for (const region of REGIONS) {
    const emr = new EMRClient({endpoint: proxy.endpoint, region, credentials})
    await Promise.all(
      Array.from({length: CLUSTERS_PER_REGION}, (_, index) =>
        emr.send(
          new RunJobFlowCommand({
            Name: `c-${region}-${index}`,
            ReleaseLabel: 'emr-6.15.0',
            ServiceRole: 'EMR_DefaultRole',
            JobFlowRole: 'EMR_EC2_DefaultRole',
            Instances: {KeepJobFlowAliveWhenNoSteps: true, InstanceGroups: [{InstanceRole: 'MASTER', InstanceType: 'm5.xlarge', InstanceCount: 1}]},
          }),
        ),
      ),
    )
  }
}

interface Run {
  wallMs: number
  peakRssMb: number | undefined
  fingerprints: string[]
  code: number
}

interface Timed {
  wallMs: number
  peakRssMb: number | undefined
  code: number
  stderr: string
}

const LIVE_ARGS = [...REGIONS.flatMap((region) => ['--region', region]), '--concurrency', String(CONCURRENCY)]
const FLOOR = fileURLToPath(new URL('floor.js', import.meta.url))

/** Runs node on a script under /usr/bin/time, so start-up is in the wall time and the child's peak RSS is known. */
function timedNode(endpoint: string, args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
      env: {
        PATH: process.env['PATH'],
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6
      const rssKb = Number(stderr.trim().split('\n').pop())
      resolve({wallMs, peakRssMb: Number.isFinite(rssKb) ? rssKb / 1024 : undefined, code: code ?? -1, stderr})
    })
  })
}

async function scan(endpoint: string, output: string, args?: string[]): Promise<Run> {
  const run = await timedNode(endpoint, [CLI, 'scan', ...(args ?? LIVE_ARGS), '--format', 'json', '--output', output])
  let fingerprints: string[]
  try {
    fingerprints = (JSON.parse(readFileSync(output, 'utf8')) as {findings: Array<{fingerprint: string}>}).findings.map((finding) => finding.fingerprint).sort()
  } catch {
    throw new Error(`the scan wrote no report (exit ${run.code}): ${run.stderr}`)
  }
  return {wallMs: run.wallMs, peakRssMb: run.peakRssMb, fingerprints, code: run.code}
}

/** The plain SDK script (floor.ts) through the same proxy: its wall time and its calls, counted by the proxy. */
async function floor(proxy: Proxy): Promise<{wallMs: number; calls: number; counts: Map<string, number>}> {
  proxy.reset()
  const run = await timedNode(proxy.endpoint, [FLOOR, ...REGIONS])
  if (run.code !== 0) throw new Error(`the floor script failed (exit ${run.code}): ${run.stderr}`)
  const counts = new Map(proxy.counts)
  return {wallMs: run.wallMs, calls: [...counts.values()].reduce((sum, count) => sum + count, 0), counts}
}

/** node's own cost for the file, in a fresh process: reading it and JSON.parse, nothing else. */
async function readAndParseMs(path: string): Promise<number> {
  const script = `const {readFileSync} = await import('node:fs'); const t = performance.now(); JSON.parse(readFileSync(${JSON.stringify(path)}, 'utf8')); console.error(performance.now() - t)`
  const run = await timedNode('http://127.0.0.1:9', ['--input-type=module', '-e', script])
  const ms = Number(run.stderr.trim().split('\n')[0])
  if (run.code !== 0 || !Number.isFinite(ms)) throw new Error(`node could not read and parse ${path} (exit ${run.code}): ${run.stderr}`)
  return ms
}

/**
 * The analysis alone at sizes beyond what the emulator (and AWS's own role quota) accepts: the inventory
 * saved from the live scan, its workload roles replicated to N, analysed offline (process start-up
 * included) beside node's own read and parse of the same file.
 */
/** Issue 17 sets its offline targets for a 20,000-role inventory: smaller ones are reported without a verdict. */
const OFFLINE_TARGET_ROLES = 20_000

/**
 * The analysis alone at sizes beyond what the emulator (and AWS's own role quota) accepts: the inventory
 * saved from the live scan, its workload roles replicated to N, analysed offline (process start-up
 * included) beside node's own read and parse of the same file; the faster of two runs each.
 */
async function offline(sizes: number[], saved: string, dir: string): Promise<Target[]> {
  const targets: Target[] = []
  const inventory = JSON.parse(readFileSync(saved, 'utf8')) as Inventory
  const rows: string[][] = [['roles (offline)', 'file MB', 'read+parse ms', 'analysis ms', 'ratio', 'ms / 1,000 roles', 'peak RSS MB']]
  for (const roles of sizes) {
    const path = join(dir, `inventory-${roles}.json`)
    writeFileSync(path, JSON.stringify(replicate(inventory, roles)))
    const parseMs = Math.min(await readAndParseMs(path), await readAndParseMs(path))
    const runs = [
      await scan('http://127.0.0.1:9', join(dir, `offline-${roles}.json`), ['--inventory', path]),
      await scan('http://127.0.0.1:9', join(dir, `offline-${roles}-again.json`), ['--inventory', path]),
    ]
    const run = runs.reduce((best, next) => (next.wallMs < best.wallMs ? next : best))
    const peakRssMb = Math.max(...runs.map((entry) => entry.peakRssMb ?? Infinity))
    if (roles >= OFFLINE_TARGET_ROLES) {
      targets.push(
        {target: `offline ${roles.toLocaleString('en')} roles: analysis / node read+parse`, limit: 5, measured: run.wallMs / parseMs, digits: 2},
        {target: `offline ${roles.toLocaleString('en')} roles: peak RSS MB`, limit: 400, strict: true, measured: peakRssMb, digits: 0},
      )
    }
    rows.push([
      String(roles),
      (statSync(path).size / 1e6).toFixed(1),
      parseMs.toFixed(0),
      run.wallMs.toFixed(0),
      (run.wallMs / parseMs).toFixed(1),
      ((run.wallMs / roles) * 1000).toFixed(0),
      Number.isFinite(peakRssMb) ? peakRssMb.toFixed(0) : 'n/a',
    ])
  }
  console.log('')
  printTable(rows)
  console.log(
    'ratio: analysis (the whole emr-audit process, start-up included; the faster of two runs) / read+parse (JSON.parse of the same file in a fresh node process, start-up excluded; the faster of two runs). Peak RSS: the larger of the two runs.',
  )
  if (!sizes.some((roles) => roles >= OFFLINE_TARGET_ROLES))
    console.log(`(issue 17's offline targets are for ${OFFLINE_TARGET_ROLES.toLocaleString('en')} roles: add it to --offline for a verdict)`)
  return targets
}

/** One of issue 17's targets as measured in this run: reported rather than asserted, the figures depend on the machine. */
interface Target {
  target: string
  limit: number
  /** `<` for a strict limit (peak RSS), else `≤`. */
  strict?: true
  measured: number
  digits: number
}

const isMet = (target: Target): boolean => (target.strict ? target.measured < target.limit : target.measured <= target.limit)

function printTargets(targets: Target[]): void {
  console.log('\ntargets (issue 17), as measured in this run:')
  const rows = targets.map((target) => [
    target.target,
    `${target.strict ? '<' : '≤'} ${target.limit.toFixed(target.digits)}`,
    Number.isFinite(target.measured) ? target.measured.toFixed(target.digits) : 'n/a',
    isMet(target) ? 'met' : 'NOT met',
  ])
  printTable([['target', 'limit', 'measured', 'verdict'], ...rows], [false, true, true, false])
  console.log('Figures vary from run to run on a busy machine (a shared one especially): read a verdict near its limit as such.')
}

/** Columns right-aligned unless `right` says otherwise for them. */
function printTable(rows: string[][], right?: boolean[]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  for (const row of rows)
    console.log(
      row
        .map((cell, column) => (right?.[column] === false ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
}

async function main(): Promise<void> {
  const sizes = argument('sizes', '200,2000').split(',').filter(Boolean).map(Number)
  const offlineSizes = argument('offline', '').split(',').filter(Boolean).map(Number)
  const latency = Number(argument('latency', '50'))
  if (offlineSizes.length > 0 && sizes.length === 0) throw new Error('--offline replicates the inventory saved from a live size: give --sizes too')
  const dir = mkdtempSync(join(tmpdir(), 'emr-audit-bench-'))
  console.log(
    `emr-audit benchmark · ${new Date().toISOString()} · node ${process.version} · ${REGIONS.length} regions × ${CLUSTERS_PER_REGION} clusters · latency ${latency} ms · concurrency ${CONCURRENCY}`,
  )
  const rows: string[][] = [['roles', 'calls', 'floor calls', 'ratio', 'wall ms @0', `wall ms @${latency}`, `floor ms @${latency}`, 'ratio', 'peak RSS MB']]
  // The offline sizes replicate the inventory saved from the largest live size.
  let saved = ''
  const targets: Target[] = []
  for (const roles of [...sizes].sort((a, b) => a - b)) {
    const emulator = await startEmulator()
    const proxy = await startProxy({target: {host: '127.0.0.1', port: emulator.port}, latencyMs: 0, throttle: 0, unsupported: UNSUPPORTED})
    try {
      await seed(emulator.endpoint, proxy, roles)
      // A first scan warms the emulator (it loads each service on first use); then the same scan without
      // added latency measures what the emulator and the process cost on their own.
      saved = join(dir, `inventory-live-${roles}.json`)
      await scan(proxy.endpoint, join(dir, `report-${roles}-warm.json`), [...LIVE_ARGS, '--save-inventory', saved])
      const base = await scan(proxy.endpoint, join(dir, `report-${roles}-0.json`))
      proxy.options.latencyMs = latency
      // Floor and scan alternate, the faster of two runs each, so neither pays alone for a busy moment.
      const floors = [await floor(proxy)]
      proxy.reset()
      const runs = [await scan(proxy.endpoint, join(dir, `report-${roles}.json`))]
      const counts = new Map(proxy.counts)
      floors.push(await floor(proxy))
      runs.push(await scan(proxy.endpoint, join(dir, `report-${roles}-again.json`)))
      const floorRun = floors.reduce((best, next) => (next.wallMs < best.wallMs ? next : best))
      const run = runs.reduce((best, next) => (next.wallMs < best.wallMs ? next : best))
      const calls = [...counts.values()].reduce((sum, count) => sum + count, 0)
      targets.push(
        {target: `live ${roles.toLocaleString('en')} roles: calls / floor calls`, limit: 1.1, measured: calls / floorRun.calls, digits: 2},
        {target: `live ${roles.toLocaleString('en')} roles @${latency} ms: wall / floor wall`, limit: 1.5, measured: run.wallMs / floorRun.wallMs, digits: 2},
      )
      rows.push([
        String(roles),
        String(calls),
        String(floorRun.calls),
        (calls / floorRun.calls).toFixed(2),
        base.wallMs.toFixed(0),
        run.wallMs.toFixed(0),
        floorRun.wallMs.toFixed(0),
        (run.wallMs / floorRun.wallMs).toFixed(2),
        run.peakRssMb?.toFixed(0) ?? 'n/a',
      ])
      if (JSON.stringify(base.fingerprints) !== JSON.stringify(run.fingerprints)) {
        console.log(`findings differ with and without latency (${roles} roles)`)
        process.exitCode = 1
      }
      console.log(`\ncalls by operation (${roles} roles):   emr-audit  floor`)
      const operations = [...new Set([...counts.keys(), ...floorRun.counts.keys()])].sort()
      for (const operation of operations)
        console.log(`  ${operation.padEnd(52)} ${String(counts.get(operation) ?? 0).padStart(5)}  ${String(floorRun.counts.get(operation) ?? 0).padStart(5)}`)
      if (process.argv.includes('--throttle-check') && roles === sizes[0]) {
        proxy.reset()
        proxy.options.throttle = 0.3
        const throttledRun = await scan(proxy.endpoint, join(dir, `report-${roles}-throttled.json`))
        const same = JSON.stringify(throttledRun.fingerprints) === JSON.stringify(run.fingerprints)
        console.log(
          `\nwith 30% of calls throttled: ${proxy.throttled} throttling answers, findings ${same ? 'identical' : 'DIFFERENT'} (${throttledRun.fingerprints.length} vs ${run.fingerprints.length}), wall ${throttledRun.wallMs.toFixed(0)} ms`,
        )
        if (!same) process.exitCode = 1
      }
    } finally {
      await proxy.close()
      await emulator.stop()
    }
  }
  console.log('')
  printTable(rows)
  console.log(
    `floor: a plain SDK script (bench/floor.ts) making the same reads with every independent call at once, through the same proxy in the same run; calls and wall times are the faster of two runs each; ratio: emr-audit / floor.`,
  )
  if (offlineSizes.length > 0) targets.push(...(await offline(offlineSizes, saved, dir)))
  printTargets(targets)
}

await main()
