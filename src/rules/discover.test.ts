import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, describe, expect, it, vi} from 'vitest'
import {defaultExportsIn} from './discover.js'

// A directory listing's order is the file system's (often already sorted by name): listed here in reverse
// name order, so only the module's own sort can put them in order.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const readdirSync = (path: string) => fs.readdirSync(path).sort().reverse()
  return {...fs, readdirSync}
})

describe('modules found by file name', () => {
  const folder = mkdtempSync(join(tmpdir(), 'emr-audit-discover-'))
  for (const name of ['m-3', 'm-1', 'm-2']) writeFileSync(join(folder, `${name}.js`), `export default ${JSON.stringify(name)}\n`)
  writeFileSync(join(folder, 'm-4.test.js'), 'export default "test"\n')
  writeFileSync(join(folder, 'm-5.d.ts'), 'export {}\n')
  writeFileSync(join(folder, 'Other.js'), 'export default "other"\n')
  afterAll(() => rmSync(folder, {recursive: true, force: true}))

  it('gives the default export of each matching module, sorted by name; tests and declarations never match', async () => {
    expect(await defaultExportsIn(pathToFileURL(`${folder}/`), /^m-\d$/)).toEqual([
      {name: 'm-1', value: 'm-1'},
      {name: 'm-2', value: 'm-2'},
      {name: 'm-3', value: 'm-3'},
    ])
    expect(await defaultExportsIn(pathToFileURL(`${folder}/`), /^m-[12]$/)).toHaveLength(2)
  })
})
