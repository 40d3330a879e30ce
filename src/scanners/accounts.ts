/** The accounts of an organization, for --organization. */
import {ListAccountsCommand, OrganizationsClient} from '@aws-sdk/client-organizations'
import {classifyAwsError} from '../aws/errors.js'
import {UserInputError} from '../shared/errors.js'
import {byNextToken, collectPages} from './pagination.js'

export const ORGANIZATION_ACTIONS = ['organizations:ListAccounts'] as const

/** Active accounts of the organization (run from the management or a delegated administrator account). */
export async function organizationAccounts(options: {region: string; endpoint?: string; profile?: string}): Promise<string[]> {
  const client = new OrganizationsClient({
    region: options.region,
    ...(options.endpoint ? {endpoint: options.endpoint} : {}),
    ...(options.profile ? {profile: options.profile} : {}),
  })
  try {
    const accounts = await collectPages(
      (token) => client.send(new ListAccountsCommand({NextToken: token})),
      byNextToken,
      (page) => page.Accounts ?? [],
    )
    return accounts
      .filter((account) => account.Status === undefined || account.Status === 'ACTIVE')
      .flatMap((account) => (account.Id ? [account.Id] : []))
      .sort()
  } catch (error) {
    const {status, message} = classifyAwsError(error)
    throw new UserInputError(`--organization: cannot list the organization's accounts (organizations:ListAccounts ${status}: ${message})`)
  } finally {
    client.destroy()
  }
}
