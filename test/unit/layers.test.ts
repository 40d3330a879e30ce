/**
 * The layers of src/ are enforced by `npm run lint` (per-folder import restrictions in eslint.config.js).
 * These tests lint, with the project's own config, files that break a layer and must be reported, files
 * that respect one and must not be, and the real tree.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ESLint} from 'eslint'
import {describe, expect, it} from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const fixtures = join(root, 'test/fixtures/layers')
const LAYER_RULE = '@typescript-eslint/no-restricted-imports'
const eslint = new ESLint({cwd: root, ruleFilter: ({ruleId}) => ruleId === LAYER_RULE})

function filesUnder(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** Lints text as if it were the file at `path` (relative to the repository root). */
async function layerMessages(text: string, path: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, {filePath: join(root, path)})
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? 'fatal'}: ${message.message}`)
}

describe('the layer rule in eslint.config.js', () => {
  const cases = filesUnder(join(fixtures, 'src')).map((file) => {
    const text = readFileSync(file, 'utf8')
    const expected = /^\/\/ expect: (.+)$/m.exec(text)?.[1]
    if (!expected) throw new Error(`${file}: no "// expect:" line`)
    return {path: relative(fixtures, file), text, expected}
  })

  it('has fixtures that break a layer and fixtures that keep to one', () => {
    expect(cases.filter((entry) => entry.expected === 'clean').length).toBeGreaterThan(0)
    expect(cases.filter((entry) => entry.expected !== 'clean').length).toBeGreaterThan(0)
  })

  it.each(cases)('$path: $expected', async ({path, text, expected}) => {
    const messages = await layerMessages(text, path)
    if (expected === 'clean') expect(messages).toEqual([])
    else expect(messages).toEqual([expect.stringContaining(expected)])
  })

  // A folder missing from the layer list would be unchecked; every folder but commands must refuse commands.
  const folders = readdirSync(join(root, 'src'), {withFileTypes: true})
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
  it.each(folders.filter((folder) => folder !== 'commands'))('src/%s may not import a command', async (folder) => {
    const messages = await layerMessages("import Scan from '../commands/scan.js'\nexport const top = Scan\n", `src/${folder}/probe.ts`)
    expect(messages).toEqual([expect.stringContaining(`${LAYER_RULE}: '../commands/scan.js' import is restricted`)])
  })

  // eslint.config.js writes one rule per depth of folder below a layer, up to MAX_DEPTH (4).
  it('covers every file of src/ (none sits more than 4 folders below its layer)', () => {
    const depths = filesUnder(join(root, 'src')).map((file) => relative(join(root, 'src'), file).split('/').length - 2)
    expect(Math.max(...depths)).toBeLessThanOrEqual(4)
  })

  it('reports nothing in the real tree', async () => {
    const results = await eslint.lintFiles(['src/**/*.ts'])
    const broken = results.flatMap((result) => result.messages.map((message) => `${relative(root, result.filePath)}:${message.line} ${message.message}`))
    expect(results.length).toBeGreaterThan(100)
    expect(broken).toEqual([])
  }, 120_000)
})
