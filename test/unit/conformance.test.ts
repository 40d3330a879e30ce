/** docs/policy-conformance.md names, for each behaviour, the test that checks it: those tests must exist. */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

const root = new URL('../../', import.meta.url)
const table = readFileSync(new URL('docs/policy-conformance.md', root), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('| ') && line.includes('.test.ts` ›'))

const references = table.flatMap((line) =>
  [...line.matchAll(/`([\w/.-]+\.test\.ts)` › ((?:"[^"]+"(?:; )?)+)/g)].flatMap(([, file = '', names = '']) =>
    [...names.matchAll(/"([^"]+)"/g)].map(([, name = '']) => ({file, name})),
  ),
)

describe('the policy conformance table', () => {
  it('covers every family it promises', () => {
    expect(table.length).toBeGreaterThanOrEqual(15)
    expect(references.length).toBeGreaterThanOrEqual(25)
  })

  it.each(references)('$file has a test named "$name"', ({file, name}) => {
    const source = readFileSync(new URL(file, root), 'utf8')
    // The name as a string literal in any quoting the formatter may choose.
    const literals = [`'${name.replaceAll("'", "\\'")}'`, `'${name}'`, `"${name.replaceAll('"', '\\"')}"`, `\`${name}\``]
    expect(literals.some((literal) => source.includes(literal))).toBe(true)
  })
})
