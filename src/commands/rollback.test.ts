/** `rollback` in-process: the refusals `rollback --help` documents (exit 2), made before any AWS call. */
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCommand} from '../../test/fixtures/run-command.js'
import Rollback from './rollback.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-rollback-command-'))
  await writeFile(join(dir, 'journal-v9.json'), '{"schemaVersion": 9, "entries": []}')
})

describe('rollback: refusals are exit 2 with one line', () => {
  it('a missing journal', async () => {
    const result = await runCommand(Rollback, [join(dir, 'absent.json'), '--yes'])
    expect(result).toMatchObject({code: 2, stdout: '', stderr: `emr-audit: cannot read journal ${join(dir, 'absent.json')}: ENOENT\n`})
  })

  it('a journal from a newer emr-audit', async () => {
    const result = await runCommand(Rollback, [join(dir, 'journal-v9.json'), '--yes'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/not an emr-audit journal \(schemaVersion 9; this emr-audit reads version 2\)\n$/)
  })

  it('no terminal and no --yes, before the journal is read', async () => {
    const result = await runCommand(Rollback, [join(dir, 'absent.json')])
    expect(result).toMatchObject({code: 2, stderr: 'emr-audit: rollback without a terminal needs --yes (nothing was changed)\n'})
  })

  it.each([
    [[], /Missing 1 required arg:\s+journal/],
    [['j.json', '--format', 'sarif'], /^Expected --format=sarif to be one of: table, json/],
  ])('oclif refuses %j', async (argv, message) => {
    const result = await runCommand(Rollback, argv)
    expect(result.code).toBe(2)
    expect(result.oclifMessage).toMatch(message)
  })
})
