/**
 * The only place AWS SDK clients are built. Clients are loaded lazily (start-up stays fast for --help and
 * offline analysis), retry is configured once here (standard mode; never beside a custom retryStrategy),
 * the endpoint comes from the SDK's own AWS_ENDPOINT_URL handling unless --endpoint-url is given, and
 * credentials come from the default provider chain (or the named profile).
 */
import type {EC2Client} from '@aws-sdk/client-ec2'
import type {EMRClient} from '@aws-sdk/client-emr'
import type {IAMClient} from '@aws-sdk/client-iam'
import type {KMSClient} from '@aws-sdk/client-kms'
import type {S3Client} from '@aws-sdk/client-s3'
import type {SecretsManagerClient} from '@aws-sdk/client-secrets-manager'
import type {SecurityHubClient} from '@aws-sdk/client-securityhub'
import type {STSClient} from '@aws-sdk/client-sts'
import type {AwsCredentialIdentityProvider} from '@smithy/types'
import {UserInputError} from '../shared/errors.js'
import {sdk} from './sdk.js'

export interface ClientOptions {
  profile?: string
  /** Credentials to use instead of the default chain (e.g. a role assumed in another account). */
  credentials?: AwsCredentialIdentityProvider
  /** An explicit endpoint for every service (tests, emulators); normally unset. */
  endpoint?: string
  maxAttempts?: number
}

export interface AwsClients {
  sts(region: string): STSClient
  iam(region: string): IAMClient
  emr(region: string): EMRClient
  ec2(region: string): EC2Client
  secretsManager(region: string): SecretsManagerClient
  kms(region: string): KMSClient
  s3(region: string): S3Client
}

/** Enough for a service throttling 30% of calls to be recovered (0.3^8 per call), short enough to fail fast on a dead endpoint. */
export const DEFAULT_MAX_ATTEMPTS = 8

/**
 * The SDK waits forever for an endpoint that accepts a connection and never answers; these bound each
 * attempt, so a hung call is retried and then reported instead of hanging the run.
 * EMR_AUDIT_REQUEST_TIMEOUT_MS overrides the per-attempt response timeout (tests use a short one).
 */
export const CONNECTION_TIMEOUT_MS = 5_000
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000

export function requestTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env['EMR_AUDIT_REQUEST_TIMEOUT_MS'])
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_REQUEST_TIMEOUT_MS
}

/**
 * Keeps one client per service and region, so connection pools are reused across scanners. A service's SDK
 * package loads when its first client is built (sdk.ts).
 */
export async function createAwsClients(options: ClientOptions = {}): Promise<AwsClients> {
  const common = await commonClientConfig(options)
  await warmSharedConfig()
  const cache = new Map<string, unknown>()
  function cached<C>(key: string, build: () => C): C {
    let client = cache.get(key) as C | undefined
    if (!client) {
      client = build()
      cache.set(key, client)
    }
    return client
  }
  return {
    sts: (region) => cached(`sts:${region}`, () => new (sdk.sts().STSClient)({...common, region})),
    iam: (region) => cached(`iam:${region}`, () => new (sdk.iam().IAMClient)({...common, region})),
    emr: (region) => cached(`emr:${region}`, () => new (sdk.emr().EMRClient)({...common, region})),
    ec2: (region) => cached(`ec2:${region}`, () => new (sdk.ec2().EC2Client)({...common, region})),
    secretsManager: (region) => cached(`sm:${region}`, () => new (sdk.secretsManager().SecretsManagerClient)({...common, region})),
    kms: (region) => cached(`kms:${region}`, () => new (sdk.kms().KMSClient)({...common, region})),
    // Buckets may live in any region: let S3 redirect; path-style keeps emulator endpoints working.
    s3: (region) =>
      cached(
        `s3:${region}`,
        () =>
          new (sdk.s3().S3Client)({
            ...common,
            region,
            followRegionRedirects: true,
            forcePathStyle: Boolean(options.endpoint ?? process.env['AWS_ENDPOINT_URL']),
          }),
      ),
  }
}

/**
 * Every client reads the shared config and credentials files before its first request; the SDK keeps each
 * file's read. Read here, before any package loads, the first request (IAM's) needs no further file I/O and
 * is on the wire before the next SDK package's compile holds the thread (sdk.ts).
 */
async function warmSharedConfig(): Promise<void> {
  const {loadSharedConfigFiles} = await import('@smithy/core/config')
  await loadSharedConfigFiles().catch(() => undefined)
}

/** Settings every client shares: retries, timeouts, credentials (profile or given), endpoint. */
async function commonClientConfig(options: ClientOptions) {
  let credentials: AwsCredentialIdentityProvider | undefined = options.credentials
  if (!credentials && options.profile) {
    await requireProfile(options.profile)
    const {fromNodeProviderChain} = await import('@aws-sdk/credential-providers')
    credentials = fromNodeProviderChain({profile: options.profile})
  }
  return {
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'standard',
    requestHandler: {connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: requestTimeoutMs(), throwOnRequestTimeout: true},
    ...(credentials ? {credentials} : {}),
    ...(options.profile ? {profile: options.profile} : {}),
    ...(options.endpoint ? {endpoint: options.endpoint} : {}),
  }
}

/**
 * Security Hub clients, one per region, built like the scan's clients. Separate from createAwsClients so
 * a scan without --security-hub never loads that SDK.
 */
export async function createSecurityHubClients(options: ClientOptions = {}): Promise<(region: string) => SecurityHubClient> {
  const [{SecurityHubClient: Client}, common] = await Promise.all([import('@aws-sdk/client-securityhub'), commonClientConfig(options)])
  const clients = new Map<string, SecurityHubClient>()
  return (region) => {
    let client = clients.get(region)
    if (!client) {
      client = new Client({...common, region})
      clients.set(region, client)
    }
    return client
  }
}

/**
 * A --profile that is in neither shared file fails here, by name, before any request: the SDK would only
 * say it could load no credentials, which reads like AWS refusing them.
 */
export async function requireProfile(profile: string): Promise<void> {
  const {loadSharedConfigFiles} = await import('@smithy/core/config')
  const {configFile, credentialsFile} = await loadSharedConfigFiles({ignoreCache: true})
  if (Object.hasOwn(configFile, profile) || Object.hasOwn(credentialsFile, profile)) return
  const files = `${process.env['AWS_CONFIG_FILE'] ?? '~/.aws/config'} and ${process.env['AWS_SHARED_CREDENTIALS_FILE'] ?? '~/.aws/credentials'}`
  throw new UserInputError(`--profile: profile ${JSON.stringify(profile)} was not found in ${files}; nothing was sent to AWS`)
}

/** The region the SDK would use on its own (AWS_REGION, the profile's region), or undefined. */
export async function sdkDefaultRegion(profile?: string): Promise<string | undefined> {
  if (profile) await requireProfile(profile)
  const {STSClient} = sdk.sts()
  const client = new STSClient(profile ? {profile} : {})
  try {
    return await client.config.region()
  } catch {
    return undefined
  } finally {
    client.destroy()
  }
}

const REGION_PATTERN = /^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eu-isoe|us-isof)-[a-z]+-\d{1,2}$/

export function isWellFormedRegion(region: string): boolean {
  return REGION_PATTERN.test(region)
}

/** The partition a region belongs to, for building ARNs before STS has answered. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  if (region.startsWith('us-isob-')) return 'aws-iso-b'
  if (region.startsWith('us-iso-')) return 'aws-iso'
  return 'aws'
}

/**
 * Credentials for a role in another account, assumed with the caller's own credentials (profile or
 * default chain). Refreshed by the SDK as they expire.
 */
export async function assumedRoleCredentials(options: {
  roleArn: string
  externalId?: string
  profile?: string
  endpoint?: string
  region: string
}): Promise<AwsCredentialIdentityProvider> {
  const {fromNodeProviderChain, fromTemporaryCredentials} = await import('@aws-sdk/credential-providers')
  return fromTemporaryCredentials({
    params: {RoleArn: options.roleArn, RoleSessionName: 'emr-audit', DurationSeconds: 3600, ...(options.externalId ? {ExternalId: options.externalId} : {})},
    masterCredentials: fromNodeProviderChain(options.profile ? {profile: options.profile} : {}),
    clientConfig: {
      region: options.region,
      requestHandler: {connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: requestTimeoutMs(), throwOnRequestTimeout: true},
      ...(options.endpoint ? {endpoint: options.endpoint} : {}),
    },
  })
}
