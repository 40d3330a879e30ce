/**
 * The floor the benchmark measures emr-audit against: a plain SDK script making the same reads the
 * catalog needs (the operations the counting proxy sees emr-audit make), each independent call started at
 * once, dependent ones chained only where an answer is needed to ask the next question. It neither
 * validates nor analyses anything, so its wall time is the reads' own cost (process start-up, SDK load,
 * latency, the endpoint's processing), measured through the same proxy in the same run.
 *
 *   AWS_ENDPOINT_URL=http://127.0.0.1:PORT node dist-bench/bench/floor.js us-east-1 eu-west-1
 */
import {DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client} from '@aws-sdk/client-ec2'
import {
  DescribeClusterCommand,
  EMRClient,
  GetBlockPublicAccessConfigurationCommand,
  ListClustersCommand,
  ListInstanceGroupsCommand,
  ListInstancesCommand,
  ListSecurityConfigurationsCommand,
  ListStudiosCommand,
} from '@aws-sdk/client-emr'
import {
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListInstanceProfilesCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
} from '@aws-sdk/client-iam'
import {ListSecretsCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager'
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'

/** Operations the emulator lacks answer 400 through the proxy; the floor still pays for the round trip. */
const tolerated = <T>(promise: Promise<T>): Promise<T | undefined> => promise.catch(() => undefined)

async function authorizationDetails(iam: IAMClient): Promise<GetAccountAuthorizationDetailsCommandOutput[]> {
  const pages: GetAccountAuthorizationDetailsCommandOutput[] = []
  let marker: string | undefined
  do {
    const page = await iam.send(
      new GetAccountAuthorizationDetailsCommand({Filter: ['Role', 'User', 'Group', 'LocalManagedPolicy'], MaxItems: 1000, Marker: marker}),
    )
    pages.push(page)
    marker = page.IsTruncated ? page.Marker : undefined
  } while (marker)
  return pages
}

/** AWS managed policies are not in the details (no AWSManagedPolicy filter), so each is read by its default version. */
async function managedPolicies(iam: IAMClient, pages: GetAccountAuthorizationDetailsCommandOutput[]): Promise<void> {
  const attached = new Set<string>()
  for (const page of pages) {
    for (const principal of [...(page.RoleDetailList ?? []), ...(page.UserDetailList ?? []), ...(page.GroupDetailList ?? [])]) {
      for (const policy of principal.AttachedManagedPolicies ?? []) if (policy.PolicyArn?.startsWith('arn:aws:iam::aws:')) attached.add(policy.PolicyArn)
    }
  }
  await Promise.all(
    [...attached].map(async (arn) => {
      const {Policy: policy} = await iam.send(new GetPolicyCommand({PolicyArn: arn}))
      await iam.send(new GetPolicyVersionCommand({PolicyArn: arn, VersionId: policy?.DefaultVersionId}))
    }),
  )
}

async function iamReads(credentials: {accessKeyId: string; secretAccessKey: string}): Promise<void> {
  const iam = new IAMClient({region: 'us-east-1', credentials})
  const sts = new STSClient({region: 'us-east-1', credentials})
  await Promise.all([
    sts.send(new GetCallerIdentityCommand({})),
    iam.send(new ListInstanceProfilesCommand({MaxItems: 1000})),
    iam.send(new GetAccountSummaryCommand({})),
    authorizationDetails(iam).then((pages) => managedPolicies(iam, pages)),
  ])
}

/** Describe, capacity and primary nodes of each cluster all at once: the floor assumes instance groups and one page of clusters, as seeded. */
async function clusterReads(emr: EMRClient): Promise<void> {
  const {Clusters: clusters} = await emr.send(new ListClustersCommand({ClusterStates: ['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING']}))
  await Promise.all(
    (clusters ?? []).flatMap(({Id: id}) => [
      emr.send(new DescribeClusterCommand({ClusterId: id})),
      emr.send(new ListInstanceGroupsCommand({ClusterId: id})),
      emr.send(new ListInstancesCommand({ClusterId: id, InstanceGroupTypes: ['MASTER']})),
    ]),
  )
}

async function regionalReads(region: string, credentials: {accessKeyId: string; secretAccessKey: string}): Promise<void> {
  const emr = new EMRClient({region, credentials})
  const ec2 = new EC2Client({region, credentials})
  const secrets = new SecretsManagerClient({region, credentials})
  await Promise.all([
    clusterReads(emr),
    tolerated(emr.send(new ListSecurityConfigurationsCommand({}))),
    tolerated(emr.send(new ListStudiosCommand({}))),
    emr.send(new GetBlockPublicAccessConfigurationCommand({})),
    ec2.send(new DescribeVpcsCommand({MaxResults: 1000})),
    ec2.send(new DescribeSubnetsCommand({MaxResults: 1000})),
    ec2.send(new DescribeSecurityGroupsCommand({MaxResults: 1000})),
    secrets.send(new ListSecretsCommand({MaxResults: 100})),
  ])
}

const credentials = {accessKeyId: process.env['AWS_ACCESS_KEY_ID'] ?? 'bench', secretAccessKey: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'bench'}
const regions = process.argv.slice(2)
await Promise.all([iamReads(credentials), ...regions.map((region) => regionalReads(region, credentials))])
