/**
 * EC2 network, per region. Each resource type is listed whole (1,000 a page) rather than by referenced
 * ids plus a tag filter: for an ordinary account that is fewer calls, it does not wait for the cluster
 * scan, and it sees near-miss spellings of the v2 tag key, which EC2's case-sensitive tag filters cannot.
 * Only the resources that matter are kept (see assemble.ts).
 */
import type {IpPermission} from '@aws-sdk/client-ec2'
import {sdk} from '../aws/sdk.js'
import type {IngressRule, NetworkInterface, SecurityGroup, Subnet, Vpc} from '../inventory/schema.js'
import {toTags} from '../inventory/tags.js'
import {call, runSource, type ScanContext} from './context.js'
import {byNextToken, collectPages} from './pagination.js'
import {defineSource} from './source.js'
import {usedSecurityGroupIds} from './assemble.js'

const PAGE_SIZE = 1000

function toIngress(permission: IpPermission): IngressRule {
  return {
    protocol: permission.IpProtocol ?? '-1',
    ...(permission.FromPort === undefined ? {} : {fromPort: permission.FromPort}),
    ...(permission.ToPort === undefined ? {} : {toPort: permission.ToPort}),
    ipv4Ranges: (permission.IpRanges ?? []).flatMap((range) => (range.CidrIp ? [range.CidrIp] : [])),
    ipv6Ranges: (permission.Ipv6Ranges ?? []).flatMap((range) => (range.CidrIpv6 ? [range.CidrIpv6] : [])),
    sourceGroups: (permission.UserIdGroupPairs ?? []).flatMap((pair) => (pair.GroupId ? [pair.GroupId] : [])),
    prefixLists: (permission.PrefixListIds ?? []).flatMap((list) => (list.PrefixListId ? [list.PrefixListId] : [])),
  }
}

function scanVpcs(ctx: ScanContext, region: string): Promise<Vpc[] | undefined> {
  const {DescribeVpcsCommand} = sdk.ec2()
  const ec2 = ctx.clients.ec2(region)
  return runSource(ctx, 'ec2.vpcs', region, () =>
    collectPages(
      (token) => call(ctx, 'ec2', region, 'ec2:DescribeVpcs', () => ec2.send(new DescribeVpcsCommand({MaxResults: PAGE_SIZE, NextToken: token}))),
      byNextToken,
      (page) =>
        (page.Vpcs ?? []).map((vpc) => ({
          id: vpc.VpcId ?? '',
          region,
          ...(vpc.OwnerId ? {ownerId: vpc.OwnerId} : {}),
          isDefault: vpc.IsDefault ?? false,
          tags: toTags(vpc.Tags),
        })),
    ),
  )
}

function scanSubnets(ctx: ScanContext, region: string): Promise<Subnet[] | undefined> {
  const {DescribeSubnetsCommand} = sdk.ec2()
  const ec2 = ctx.clients.ec2(region)
  return runSource(ctx, 'ec2.subnets', region, () =>
    collectPages(
      (token) => call(ctx, 'ec2', region, 'ec2:DescribeSubnets', () => ec2.send(new DescribeSubnetsCommand({MaxResults: PAGE_SIZE, NextToken: token}))),
      byNextToken,
      (page) =>
        (page.Subnets ?? []).map((subnet) => ({
          id: subnet.SubnetId ?? '',
          region,
          ...(subnet.VpcId ? {vpcId: subnet.VpcId} : {}),
          ...(subnet.OwnerId ? {ownerId: subnet.OwnerId} : {}),
          ...(subnet.AvailabilityZone ? {availabilityZone: subnet.AvailabilityZone} : {}),
          ...(subnet.MapPublicIpOnLaunch === undefined ? {} : {mapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch}),
          tags: toTags(subnet.Tags),
        })),
    ),
  )
}

function scanSecurityGroups(ctx: ScanContext, region: string): Promise<SecurityGroup[] | undefined> {
  const {DescribeSecurityGroupsCommand} = sdk.ec2()
  const ec2 = ctx.clients.ec2(region)
  return runSource(ctx, 'ec2.securityGroups', region, () =>
    collectPages(
      (token) =>
        call(ctx, 'ec2', region, 'ec2:DescribeSecurityGroups', () => ec2.send(new DescribeSecurityGroupsCommand({MaxResults: PAGE_SIZE, NextToken: token}))),
      byNextToken,
      (page) =>
        (page.SecurityGroups ?? []).map((group) => ({
          id: group.GroupId ?? '',
          name: group.GroupName ?? '',
          region,
          ...(group.VpcId ? {vpcId: group.VpcId} : {}),
          ...(group.OwnerId ? {ownerId: group.OwnerId} : {}),
          tags: toTags(group.Tags),
          ingress: (group.IpPermissions ?? []).map(toIngress),
        })),
    ),
  )
}

/** EC2 accepts at most 200 values in one filter. */
const FILTER_VALUES = 200

/**
 * The network interfaces in the security groups EMR resources use: who else uses a group decides whether
 * tagging it (which lets v2 policy holders change its rules) is safe. Filtered by group, so the cost
 * follows the groups in use, not the size of the account.
 */
function scanNetworkInterfaces(ctx: ScanContext, region: string, groupIds: string[]): Promise<NetworkInterface[] | undefined> {
  const {DescribeNetworkInterfacesCommand} = sdk.ec2()
  const ec2 = ctx.clients.ec2(region)
  const chunks: string[][] = []
  for (let start = 0; start < groupIds.length; start += FILTER_VALUES) chunks.push(groupIds.slice(start, start + FILTER_VALUES))
  return runSource(ctx, 'ec2.networkInterfaces', region, async () => {
    const pages = await Promise.all(
      chunks.map((values) =>
        collectPages(
          (token) =>
            call(ctx, 'ec2', region, 'ec2:DescribeNetworkInterfaces', () =>
              ec2.send(new DescribeNetworkInterfacesCommand({Filters: [{Name: 'group-id', Values: values}], MaxResults: PAGE_SIZE, NextToken: token})),
            ),
          byNextToken,
          (page) =>
            (page.NetworkInterfaces ?? []).map((eni) => ({
              id: eni.NetworkInterfaceId ?? '',
              region,
              groupIds: (eni.Groups ?? []).flatMap((group) => (group.GroupId ? [group.GroupId] : [])),
              ...(eni.Description ? {description: eni.Description} : {}),
              ...(eni.InterfaceType ? {interfaceType: eni.InterfaceType} : {}),
              ...(eni.RequesterId ? {requesterId: eni.RequesterId} : {}),
              ...(eni.Attachment?.InstanceId ? {instanceId: eni.Attachment.InstanceId} : {}),
              tags: toTags(eni.TagSet),
            })),
        ),
      ),
    )
    const unique = new Map(pages.flat().map((eni) => [eni.id, eni]))
    return [...unique.values()]
  })
}

export const vpcsSource = defineSource({
  id: 'ec2.vpcs',
  actions: ['ec2:DescribeVpcs'],
  scope: 'regional',
  dependsOn: [],
  collect: (ctx) => scanVpcs(ctx, ctx.region),
})

export const subnetsSource = defineSource({
  id: 'ec2.subnets',
  actions: ['ec2:DescribeSubnets'],
  scope: 'regional',
  dependsOn: [],
  collect: (ctx) => scanSubnets(ctx, ctx.region),
})

export const securityGroupsSource = defineSource({
  id: 'ec2.securityGroups',
  actions: ['ec2:DescribeSecurityGroups'],
  scope: 'regional',
  dependsOn: [],
  collect: (ctx) => scanSecurityGroups(ctx, ctx.region),
})

/** Who else uses the groups EMR resources use decides whether tagging a group is safe (fix guard). */
export const networkInterfacesSource = defineSource({
  id: 'ec2.networkInterfaces',
  actions: ['ec2:DescribeNetworkInterfaces'],
  scope: 'regional',
  dependsOn: ['emr.clusters', 'emr.studios'],
  async collect(ctx) {
    const [clusters, {studios}] = await Promise.all([ctx.input('emr.clusters'), ctx.input('emr.studios')])
    const groupIds = [...usedSecurityGroupIds(clusters ?? [], studios)]
    if (groupIds.length > 0) return scanNetworkInterfaces(ctx, ctx.region, groupIds)
    ctx.record({source: 'ec2.networkInterfaces', region: ctx.region, status: 'ok', message: 'no security group in use; nothing to list'})
    return []
  },
})
