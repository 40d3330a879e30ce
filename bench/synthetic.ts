/** A synthetic inventory for the offline benchmark: N roles, mostly unrelated workloads, plus EMR clusters. */
import type {Inventory} from '../src/inventory/schema.js'

const trust = (service: string) => ({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]})

export function emptyInventoryFor(roles: number, regions: string[], clustersPerRegion: number): Inventory {
  const account = '123456789012'
  const role = (name: string, service: string, path = '/') => ({
    name,
    arn: `arn:aws:iam::${account}:role${path}${name}`,
    id: `AROA${String(name.length).padStart(4, '0')}${name.replace(/[^A-Z0-9]/gi, '').toUpperCase().slice(0, 12).padEnd(12, 'X')}`,
    path,
    trustPolicy: trust(service),
    inlinePolicies: [{name: 'app', document: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::${name}/*`}]}}],
    attachedPolicies: [],
    instanceProfiles: [],
    tags: [],
  })
  return {
    schemaVersion: 1,
    tool: {name: 'emr-audit', version: 'bench'},
    account: {id: account, partition: 'aws'},
    regions,
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    coverage: [],
    iam: {
      roles: [
        {...role('EMR_DefaultRole', 'elasticmapreduce.amazonaws.com')},
        {...role('EMR_EC2_DefaultRole', 'ec2.amazonaws.com'), instanceProfiles: [{name: 'EMR_EC2_DefaultRole', arn: `arn:aws:iam::${account}:instance-profile/EMR_EC2_DefaultRole`, roleNames: ['EMR_EC2_DefaultRole']}]},
        ...Array.from({length: roles - 2}, (_, index) => role(`workload-${index}`, 'lambda.amazonaws.com', '/apps/')),
      ],
      users: [],
      groups: [],
      policies: [],
      instanceProfiles: [{name: 'EMR_EC2_DefaultRole', arn: `arn:aws:iam::${account}:instance-profile/EMR_EC2_DefaultRole`, id: 'AIPABENCH', path: '/', roles: [{name: 'EMR_EC2_DefaultRole', arn: `arn:aws:iam::${account}:role/EMR_EC2_DefaultRole`}]}],
    },
    emr: {
      clusters: regions.flatMap((region) =>
        Array.from({length: clustersPerRegion}, (_, index) => ({
          id: `j-${region}-${index}`,
          name: `c-${index}`,
          region,
          state: 'WAITING',
          applications: ['Spark'],
          serviceRole: 'EMR_DefaultRole',
          instanceProfile: 'EMR_EC2_DefaultRole',
          requestedSubnetIds: [],
          additionalMasterSecurityGroups: [],
          additionalSlaveSecurityGroups: [],
          tags: [],
          instanceGroups: [],
        })),
      ),
      securityConfigurations: [],
      blockPublicAccess: [],
      studios: [],
    },
    ec2: {vpcs: [], subnets: [], securityGroups: []},
    secrets: [],
    kmsKeys: [],
    s3Buckets: [],
  }
}
