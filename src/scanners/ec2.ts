/**
 * EC2 network, per region. Each resource type is listed whole (1,000 a page) rather than by referenced
 * ids plus a tag filter: for an ordinary account that is fewer calls, it does not wait for the cluster
 * scan, and it sees near-miss spellings of the v2 tag key, which EC2's case-sensitive tag filters cannot.
 * Only the resources that matter are kept (see src/core/scan.ts).
 */
import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2'
import type {IngressRule, SecurityGroup, Subnet, Vpc} from '../inventory/schema.js'
import {toTags} from '../inventory/tags.js'
import {call, runSource, type ScanContext} from './context.js'
import {byNextToken, collectPages} from './pagination.js'

export const EC2_ACTIONS = ['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'] as const

const PAGE_SIZE = 1000

function toIngress(permission: IpPermission): IngressRule {
  return {
    protocol: permission.IpProtocol ?? '-1',
    ...(permission.FromPort === undefined ? {} : {fromPort: permission.FromPort}),
    ...(permission.ToPort === undefined ? {} : {toPort: permission.ToPort}),
    ipv4Ranges: (permission.IpRanges ?? []).flatMap((range) => (range.CidrIp ? [range.CidrIp] : [])),
    ipv6Ranges: (permission.Ipv6Ranges ?? []).flatMap((range) => (range.CidrIpv6 ? [range.CidrIpv6] : [])),
  }
}

export function scanVpcs(ctx: ScanContext, region: string): Promise<Vpc[] | undefined> {
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

export function scanSubnets(ctx: ScanContext, region: string): Promise<Subnet[] | undefined> {
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

export function scanSecurityGroups(ctx: ScanContext, region: string): Promise<SecurityGroup[] | undefined> {
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
