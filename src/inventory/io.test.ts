import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {emptyInventory, role, withRoles} from '../../test/fixtures/inventory.js'
import {writeJsonFile} from '../shared/files.js'
import {parseInventory, readInventory} from './io.js'

describe('inventory files', () => {
  it('round-trips: what is written reads back equal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emr-audit-inv-'))
    const inventory = withRoles(emptyInventory(), role({name: 'r', profiles: [{name: 'r'}]}))
    await writeJsonFile(join(dir, 'inv.json'), inventory)
    expect(await readInventory(join(dir, 'inv.json'))).toEqual(inventory)
  })

  it.each([
    ['a different schema version', {...emptyInventory(), schemaVersion: 2}, 'unsupported inventory schemaVersion 2 (this emr-audit reads version 1)'],
    ['not an object', [1, 2], 'not an emr-audit inventory'],
    [
      'a wrong type deep inside',
      (() => {
        const inventory = emptyInventory() as unknown as {iam: {roles: unknown[]}}
        inventory.iam.roles.push({name: 'r'})
        return inventory
      })(),
      'invalid inventory at iam.roles[0]',
    ],
    [
      'an unknown source status',
      (() => {
        const inventory = emptyInventory()
        ;(inventory.coverage[0] as {status: string}).status = 'fine'
        return inventory
      })(),
      'invalid inventory at coverage[0].status',
    ],
  ])('rejects %s, naming the place', (_label, value, message) => {
    expect(() => parseInventory(value, 'inv.json')).toThrow(message)
  })

  it('rejects truncated JSON and missing files with one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emr-audit-inv-'))
    const full = JSON.stringify(emptyInventory())
    await writeFile(join(dir, 'cut.json'), full.slice(0, full.length / 2))
    await expect(readInventory(join(dir, 'cut.json'))).rejects.toThrow(/cut\.json: not valid JSON/)
    await expect(readInventory(join(dir, 'none.json'))).rejects.toThrow(/cannot read inventory file .*none\.json: ENOENT/)
  })
})
