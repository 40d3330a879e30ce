/** The regions enabled for the account (ec2:DescribeRegions without AllRegions lists only enabled ones). */
import {sdk} from '../aws/sdk.js'
import type {AwsClients} from '../aws/clients.js'
import {classifyAwsError, isCredentialError} from '../aws/errors.js'
import {UserInputError} from '../shared/errors.js'

export const REGION_ACTIONS = ['ec2:DescribeRegions'] as const

export async function enabledRegions(clients: AwsClients, homeRegion: string): Promise<string[]> {
  const {DescribeRegionsCommand} = sdk.ec2()
  try {
    const output = await clients.ec2(homeRegion).send(new DescribeRegionsCommand({}))
    const regions = (output.Regions ?? [])
      .filter((region) => region.OptInStatus === undefined || region.OptInStatus === 'opt-in-not-required' || region.OptInStatus === 'opted-in')
      .flatMap((region) => (region.RegionName ? [region.RegionName] : []))
      .sort()
    if (regions.length === 0) throw new UserInputError('--all-regions: ec2:DescribeRegions listed no enabled region')
    return regions
  } catch (error) {
    if (error instanceof UserInputError) throw error
    if (isCredentialError(error))
      throw new UserInputError(`AWS rejected the credentials (${(error as Error).name}): ${(error as Error).message.split('\n')[0]}`)
    const {status, message} = classifyAwsError(error)
    throw new UserInputError(`--all-regions: cannot list the account's regions (ec2:DescribeRegions ${status}: ${message}); pass --region instead`)
  }
}
