/** Account ids from flags and files, validated. (Organization listing is in src/scanners/accounts.ts.) */
import {readFile} from 'node:fs/promises'
import {UserInputError} from '../shared/errors.js'

const ACCOUNT_ID = /^\d{12}$/

export function parseAccountIds(values: readonly string[], label: string): string[] {
  const ids = values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean)
  const bad = ids.find((id) => !ACCOUNT_ID.test(id))
  if (bad) throw new UserInputError(`${label}: '${bad}' is not an AWS account id (12 digits)`)
  return [...new Set(ids)]
}

/** One account id a line; blank lines and `#` comments are ignored; a bad line is named by number. */
export async function readAccountsFile(path: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UserInputError(`cannot read accounts file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  const ids: string[] = []
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim()
    if (!line) continue
    if (!ACCOUNT_ID.test(line)) throw new UserInputError(`${path}: line ${index + 1}: '${line}' is not an AWS account id (12 digits)`)
    ids.push(line)
  }
  if (ids.length === 0) throw new UserInputError(`${path}: no account ids`)
  return [...new Set(ids)]
}
