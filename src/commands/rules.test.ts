/** `rules` in-process: the catalog listed, filtered and explained, and unknown ids refused with exit 2. */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {runCommand} from '../../test/fixtures/run-command.js'
import Rules from './rules.js'

const catalogIds = (JSON.parse(readFileSync(new URL('../../test/fixtures/catalog-ids.json', import.meta.url), 'utf8')) as {ids: string[]}).ids

describe('rules', () => {
  it('--json prints every catalog rule', async () => {
    const result = await runCommand(Rules, ['--json'])
    expect(result.code).toBe(0)
    expect((JSON.parse(result.stdout) as Array<{id: string}>).map((rule) => rule.id).sort()).toEqual([...catalogIds].sort())
  })

  it('--group (any case) keeps that group', async () => {
    const result = await runCommand(Rules, ['--group', 'tag', '--json'])
    const ids = (result.result as Array<{id: string}>).map((rule) => rule.id)
    expect(ids.sort()).toEqual(catalogIds.filter((id) => id.startsWith('EMR-TAG-')).sort())
  })

  it('explains one rule given in any case', async () => {
    const result = await runCommand(Rules, ['emr-tag-001'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^EMR-TAG-001 — /)
  })

  it.each([
    [['EMR-NOPE-999'], 'emr-audit: no rule EMR-NOPE-999; run `emr-audit rules` for the list\n'],
    [['EMR-NOPE-999', '--json'], 'emr-audit: no rule EMR-NOPE-999; run `emr-audit rules` for the list\n'],
    [['--group', 'NOPE'], 'emr-audit: --group: no rule group NOPE\n'],
  ])('%j is exit 2', async (argv, stderr) => {
    expect(await runCommand(Rules, argv)).toMatchObject({code: 2, stdout: '', stderr})
  })

  // oclif's own --json error output would print the loaded config on stdout and exit 1.
  it('a bad flag under --json is exit 2 with nothing on stdout', async () => {
    const result = await runCommand(Rules, ['--bogus', '--json'])
    expect(result).toMatchObject({code: 2, stdout: ''})
    expect(result.oclifMessage).toMatch(/^Nonexistent flag: --bogus/)
  })
})
