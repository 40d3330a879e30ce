import {GetCallerIdentityCommand} from '@aws-sdk/client-sts'
import {classifyAwsError} from '../aws/errors.js'
import {parseArn} from '../policy/match.js'
import {ActionError, call, CredentialsError, type ScanContext} from './context.js'

/** sts:GetCallerIdentity needs no permission; it is listed so the generated policy is complete. */
export const STS_ACTIONS = ['sts:GetCallerIdentity'] as const

export interface CallerIdentity {
  accountId: string
  partition: string
  arn: string
}

/**
 * Who we are, and in which partition. Without it nothing else is meaningful (foreign-account checks need
 * the account id), so any failure here stops the scan with one clear line.
 */
export async function scanCallerIdentity(ctx: ScanContext): Promise<CallerIdentity> {
  try {
    const output = await call(ctx, 'sts', ctx.homeRegion, 'sts:GetCallerIdentity', () => ctx.clients.sts(ctx.homeRegion).send(new GetCallerIdentityCommand({})))
    const arn = output.Arn ?? ''
    ctx.record({source: 'sts.identity', region: 'global', status: 'ok'})
    return {accountId: output.Account ?? '', partition: parseArn(arn)?.partition ?? 'aws', arn}
  } catch (error) {
    if (error instanceof CredentialsError) throw error
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
