/** The accounts of a multi-account scan: given, read from a file, or listed from AWS Organizations. */
import {readFile} from 'node:fs/promises'
import {ListAccountsCommand, OrganizationsClient} from '@aws-sdk/client-organizations'
import {classifyAwsError} from '../aws/errors.js'
import {UserInputError} from '../core/errors.js'
import {byNextToken, collectPages} from './pagination.js'

export const ORGANIZATION_ACTIONS = ['organizations:ListAccounts'] as const

const ACCOUNT_ID = /^\d{12}$/

export function parseAccountIds(values: readonly string[], label: string): string[] {
  const ids = values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean)
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

/** Active accounts of the organization (run from the management or a delegated administrator account). */
export async function organizationAccounts(options: {region: string; endpoint?: string; profile?: string}): Promise<string[]> {
  const client = new OrganizationsClient({region: options.region, ...(options.endpoint ? {endpoint: options.endpoint} : {}), ...(options.profile ? {profile: options.profile} : {})})
  try {
    const accounts = await collectPages((token) => client.send(new ListAccountsCommand({NextToken: token})), byNextToken, (page) => page.Accounts ?? [])
    return accounts.filter((account) => account.Status === undefined || account.Status === 'ACTIVE').flatMap((account) => (account.Id ? [account.Id] : [])).sort()
  } catch (error) {
    const {status, message} = classifyAwsError(error)
    throw new UserInputError(`--organization: cannot list the organization's accounts (organizations:ListAccounts ${status}: ${message})`)
  } finally {
    client.destroy()
  }
}
