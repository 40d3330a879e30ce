/**
 * What a new user hits in the first hour (issue 16, item 5): a mistyped --profile named as such, a
 * readable USAGE, headings that count what the summary counts, a demo without emulator artefacts, and
 * colour that follows FORCE_COLOR, NO_COLOR and --color/--no-color.
 */
import {mkdtemp, writeFile} from 'node:fs/promises'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from './cli.js'

const bare = {
  PATH: process.env['PATH'],
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  NO_COLOR: '1',
}

describe('--profile', () => {
  it('names a profile that does not exist, and sends nothing', async () => {
    let requests = 0
    const server = createServer((request, response) => {
      requests++
      // As AWS answers an unknown key: the scan stops at the first call.
      response
        .writeHead(403, {'content-type': 'text/xml'})
        .end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>',
        )
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const dir = await mkdtemp(join(tmpdir(), 'emr-audit-profile-'))
      const config = join(dir, 'config')
      await writeFile(config, '[profile audit]\nregion = us-east-1\naws_access_key_id = AKIAEMRAUDITTEST0002\naws_secret_access_key = secret\n')
      const env = {...bare, AWS_CONFIG_FILE: config, AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`}
      const result = await runCli(['scan', '--profile', 'nope', '--region', 'us-east-1'], env)
      expect(result.code).toBe(2)
      expect(result.stderr).toBe(`emr-audit: --profile: profile "nope" was not found in ${config} and /dev/null; nothing was sent to AWS\n`)
      const noRegion = await runCli(['scan', '--profile', 'nope'], env)
      expect(noRegion.stderr).toContain('profile "nope" was not found')
      expect(requests).toBe(0)
      // The profile that exists is used (and reaches the endpoint).
      const known = await runCli(['scan', '--profile', 'audit', '--quiet'], env)
      expect(known.stderr).toContain('AWS rejected the credentials (InvalidClientTokenId)')
      expect(requests).toBeGreaterThan(0)
    } finally {
      server.close()
    }
  })
})

describe('--help', () => {
  it.each(['scan', 'fix'])('%s: every USAGE line is a command a user can type', async (command) => {
    const {stdout} = await runCli([command, '--help'], bare)
    // Help wraps at 80 columns off a terminal: a continuation line is indented further.
    const usage = stdout
      .slice(stdout.indexOf('USAGE\n'), stdout.indexOf('\nFLAGS\n'))
      .trim()
      .replace(/\n {4}/g, ' ')
      .split('\n')
      .slice(1)
    expect(usage.length).toBeGreaterThan(1)
    for (const line of usage) {
      expect(line).toMatch(new RegExp(`^ {2}\\$ emr-audit ${command} `))
      expect(line).not.toMatch(/\| *\||\[ *\||\| *\]/)
    }
  })
})

describe('the table', () => {
  it('counts under each severity heading what the summary counts for it', async () => {
    const {stdout} = await runCli(['scan', '--demo'], bare)
    const summary = /^Summary: \d+ failing \((.*)\),/m.exec(stdout)?.[1] ?? ''
    const failingBySeverity = Object.fromEntries(summary.split(', ').map((part) => [part.split(' ')[1], Number(part.split(' ')[0])]))
    const headings = [...stdout.matchAll(/^([A-Z]+) \((.*)\)$/gm)]
    expect(headings.length).toBeGreaterThan(2)
    for (const [, severity = '', counts = ''] of headings) {
      const failing = Number(/(\d+) failing/.exec(counts)?.[1] ?? 0)
      expect(failing, severity).toBe(failingBySeverity[severity.toLowerCase()] ?? 0)
    }
  })
})

describe('the demo', () => {
  it('looks like a real account: no emulator artefacts, every source read', async () => {
    const table = await runCli(['scan', '--demo'], bare)
    expect(table.stdout).not.toMatch(/non-API error page|HTTP 500|emulator/i)
    const json = await runCli(['scan', '--demo', '--format', 'json'], bare)
    const report = JSON.parse(json.stdout) as {coverage: Array<{status: string}>}
    expect(report.coverage.length).toBeGreaterThan(15)
    expect(report.coverage.filter((outcome) => outcome.status !== 'ok')).toEqual([])
  })
})

describe('colour', () => {
  const ESC = '\u001b['
  const scan = (env: Record<string, string | undefined>, ...flags: string[]) => runCli(['scan', '--demo', ...flags], {...bare, NO_COLOR: undefined, ...env})

  it('off a terminal: none by default, FORCE_COLOR forces it (even over NO_COLOR), --no-color and --color decide', async () => {
    expect((await scan({})).stdout).not.toContain(ESC)
    expect((await scan({FORCE_COLOR: '1'})).stdout).toContain(ESC)
    expect((await scan({FORCE_COLOR: '1', NO_COLOR: '1'})).stdout).toContain(ESC)
    expect((await scan({FORCE_COLOR: '1'}, '--no-color')).stdout).not.toContain(ESC)
    expect((await scan({FORCE_COLOR: '0'}, '--color')).stdout).toContain(ESC)
  })
})
