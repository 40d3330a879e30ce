/** Default encryption of the buckets Studios keep Workspaces in (GetBucketEncryption; IAM action s3:GetEncryptionConfiguration). */
import {sdk} from '../aws/sdk.js'
import type {BucketEncryption} from '../inventory/schema.js'
import {ActionError, call, recordFailure, type ScanContext, settle} from './context.js'
import {defineSource} from './source.js'

/** `s3://bucket/prefix` → `bucket`. */
function bucketOf(location: string): string | undefined {
  const match = /^s3:\/\/([^/]+)/.exec(location)
  return match?.[1]
}

async function readEncryption(ctx: ScanContext, bucket: string): Promise<BucketEncryption> {
  const {GetBucketEncryptionCommand} = sdk.s3()
  const s3 = ctx.clients.s3(ctx.homeRegion)
  try {
    const output = await call(ctx, 's3', 'global', 's3:GetEncryptionConfiguration', () => s3.send(new GetBucketEncryptionCommand({Bucket: bucket})))
    return {
      bucket,
      rules: (output.ServerSideEncryptionConfiguration?.Rules ?? []).flatMap((rule) => {
        const byDefault = rule.ApplyServerSideEncryptionByDefault
        return byDefault?.SSEAlgorithm ? [{algorithm: byDefault.SSEAlgorithm, ...(byDefault.KMSMasterKeyID ? {kmsKeyId: byDefault.KMSMasterKeyID} : {})}] : []
      }),
    }
  } catch (error) {
    if (error instanceof ActionError && (error.original as Error).name === 'ServerSideEncryptionConfigurationNotFoundError') return {bucket, rules: []}
    throw error
  }
}

async function scanBucketEncryption(ctx: ScanContext, buckets: string[]): Promise<BucketEncryption[]> {
  const unique = [...new Set(buckets)].sort()
  const results = await Promise.all(unique.map((bucket) => settle(() => readEncryption(ctx, bucket))))
  const failures = results.flatMap((result) => (result.ok ? [] : [result.error]))
  if (failures.length === 0) ctx.record({source: 's3.bucketEncryption', region: 'global', status: 'ok'})
  else recordFailure(ctx, 's3.bucketEncryption', 'global', failures[0], `${failures.length} of ${unique.length} buckets could not be read`)
  return results.flatMap((result) => (result.ok ? [result.value] : []))
}

/** The buckets Studios keep Workspaces in: it waits for the Studios of every region. */
export const bucketEncryptionSource = defineSource({
  id: 's3.bucketEncryption',
  actions: ['s3:GetEncryptionConfiguration'],
  scope: 'global',
  dependsOn: ['emr.studios'],
  async collect(ctx) {
    const studios = (await ctx.inputByRegion('emr.studios')).flatMap(({value}) => value.studios)
    return scanBucketEncryption(
      ctx,
      studios.flatMap((studio) => (studio.defaultS3Location ? [bucketOf(studio.defaultS3Location)] : [])).filter((bucket): bucket is string => Boolean(bucket)),
    )
  },
})
