/**
 * An account holder with launch rights names a cluster to forge a GitHub Actions annotation or overwrite a
 * line on the terminal, and tags a subnet with HTML and a mention. The scan's log, step summary and
 * reports show those names escaped. Workflow commands: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 */
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CreateTagsCommand} from '@aws-sdk/client-ec2'
import {XMLValidator} from 'fast-xml-parser'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startFrontedEmulator} from './proxied.js'
import {allowService, clients, cluster, instanceProfile, network, role} from './seed.js'

const FORGED_ANNOTATION = 'etl\r\n::warning title=injected::x'
const OVERWRITE = 'etl\r  ✔ ok'
const TAG = '<img src=x onerror=alert(1)> @org/security-team | \x1b]8;;https://evil.example\x07click\x1b]8;;\x07'

let emulator: Emulator
let dir: string

beforeAll(async () => {
  emulator = await startFrontedEmulator()
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-hostile-'))
  const seed = clients(emulator.endpoint)
  await role(seed, 'EMR_DefaultRole', [allowService('elasticmapreduce.amazonaws.com')])
  await role(seed, 'custom-ec2', [allowService('ec2.amazonaws.com')])
  await instanceProfile(seed, 'custom-profile', 'custom-ec2')
  const {subnetId} = await network(seed)
  await seed.ec2.send(new CreateTagsCommand({Resources: [subnetId], Tags: [{Key: 'team', Value: TAG}]}))
  for (const name of [FORGED_ANNOTATION, OVERWRITE]) await cluster(seed, {name, serviceRole: 'EMR_DefaultRole', instanceProfile: 'custom-profile', subnetId})
}, 90_000)

afterAll(async () => {
  await emulator?.stop()
})

describe('names chosen by the account holder', () => {
  it('cannot forge an annotation, move the cursor or add HTML, links or mentions to the log, summary or reports', async () => {
    const summary = join(dir, 'summary.md')
    await writeFile(summary, '')
    const paths = {json: join(dir, 'r.json'), junit: join(dir, 'r.xml'), sarif: join(dir, 'r.sarif')}
    const result = await runCli(
      [
        'scan',
        '--region',
        'us-east-1',
        '--include-passed',
        '--output',
        'table=-',
        ...Object.entries(paths).flatMap(([format, path]) => ['--output', `${format}=${path}`]),
      ],
      {
        ...emulatorEnv(emulator.endpoint),
        GITHUB_STEP_SUMMARY: summary,
      },
    )
    expect(result.code).toBe(1)
    // The names reached the report as AWS returned them: what follows is about them.
    const report = await readFile(paths.json, 'utf8')
    for (const name of [FORGED_ANNOTATION, OVERWRITE]) expect(report).toContain(JSON.stringify(name))

    for (const log of [result.stdout, result.stderr]) {
      expect(log.split('\n').filter((line) => /^\s*::/.test(line) || line.includes('##['))).toEqual([])
      expect([...log].filter((character) => character !== '\n' && /[\p{Cc}\p{Cf}]/u.test(character))).toEqual([])
    }
    expect(result.stdout).toContain('etl\\r\\n::warning title=injected::x')
    expect(result.stdout).toContain('etl\\r  ✔ ok')

    const markdown = await readFile(summary, 'utf8')
    expect(markdown).toContain('etl\\\\r\\\\n::warning title=injected::x')
    expect(markdown.replace(/<\/?(details|summary)>/g, '')).not.toMatch(/<img|@org/)
    expect([...markdown].filter((character) => character !== '\n' && /[\p{Cc}\p{Cf}]/u.test(character))).toEqual([])

    expect(XMLValidator.validate(await readFile(paths.junit, 'utf8'))).toBe(true)
    expect(JSON.parse(await readFile(paths.sarif, 'utf8'))).toHaveProperty('version', '2.1.0')
  }, 120_000)
})
