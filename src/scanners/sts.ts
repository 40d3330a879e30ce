import {sdk} from '../aws/sdk.js'
import {classifyAwsError} from '../aws/errors.js'
import {parseArn} from '../policy/match.js'
import {ActionError, call, CredentialsError, type ScanContext, stopsTheScan} from './context.js'
import {defineSource} from './source.js'

export interface CallerIdentity {
  accountId: string
  partition: string
  arn: string
}

/**
 * Who we are, and in which partition. Without it nothing else is meaningful (foreign-account checks need
 * the account id), so any failure here stops the scan with one clear line.
 */
async function scanCallerIdentity(ctx: ScanContext): Promise<CallerIdentity> {
  const {GetCallerIdentityCommand} = sdk.sts()
  try {
    const output = await call(ctx, 'sts', ctx.homeRegion, 'sts:GetCallerIdentity', () => ctx.clients.sts(ctx.homeRegion).send(new GetCallerIdentityCommand({})))
    const arn = output.Arn ?? ''
    ctx.record({source: 'sts.identity', region: 'global', status: 'ok'})
    return {accountId: output.Account ?? '', partition: parseArn(arn)?.partition ?? 'aws', arn}
  } catch (error) {
    if (stopsTheScan(error)) throw error
    const original = error instanceof ActionError ? error.original : error
    throw new CredentialsError(`cannot identify the AWS account (sts:GetCallerIdentity): ${describeFailure(original)}`, {cause: original})
  }
}

function describeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') return `cannot reach the endpoint (${code})`
  if ((error as Error | undefined)?.name === 'CredentialsProviderError') return (error as Error).message.split('\n')[0] ?? ''
  return classifyAwsError(error).message
}

/** Needed only to label the inventory: it runs beside the other sources, not before them. */
export const identitySource = defineSource({
  id: 'sts.identity',
  // sts:GetCallerIdentity needs no permission; it is declared so the list of calls is complete.
  actions: ['sts:GetCallerIdentity'],
  scope: 'global',
  dependsOn: [],
  collect: scanCallerIdentity,
})
