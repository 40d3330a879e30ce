/**
 * A RunJobFlow request as JSON: the shape of the SDK's RunJobFlowCommandInput and of the API
 * (https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html). Only the fields a launch
 * depends on are read; each is type-checked, and a wrong one is named by its path.
 */
import {type Static, Type as T} from '@sinclair/typebox'
import {UserInputError} from '../shared/errors.js'
import {forLog} from '../shared/escape.js'
import {readablePath, schemaProblems} from '../shared/validate.js'
import {MAX_LIST_ITEMS, MAX_TAGS, NOTHING_PLANNED, type LaunchRequest, type RequestedCluster} from './request.js'

const Text = T.String({maxLength: 2048})
const Texts = T.Array(Text, {maxItems: MAX_LIST_ITEMS})
const Count = T.Integer({minimum: 0, maximum: 100_000})

const InstanceGroupSchema = T.Object({
  InstanceRole: T.Union([T.Literal('MASTER'), T.Literal('CORE'), T.Literal('TASK')]),
  InstanceCount: T.Optional(Count),
  Market: T.Optional(Text),
})
const InstanceFleetSchema = T.Object({
  InstanceFleetType: T.Union([T.Literal('MASTER'), T.Literal('CORE'), T.Literal('TASK')]),
  TargetOnDemandCapacity: T.Optional(Count),
  TargetSpotCapacity: T.Optional(Count),
})

export const RunJobFlowSchema = T.Object({
  Name: Text,
  ReleaseLabel: T.Optional(Text),
  Applications: T.Optional(T.Array(T.Object({Name: T.Optional(Text)}), {maxItems: MAX_LIST_ITEMS})),
  ServiceRole: T.Optional(Text),
  JobFlowRole: T.Optional(Text),
  AutoScalingRole: T.Optional(Text),
  SecurityConfiguration: T.Optional(Text),
  Tags: T.Optional(T.Array(T.Object({Key: Text, Value: T.Optional(Text)}), {maxItems: MAX_TAGS})),
  Instances: T.Object({
    Ec2SubnetId: T.Optional(Text),
    Ec2SubnetIds: T.Optional(Texts),
    EmrManagedMasterSecurityGroup: T.Optional(Text),
    EmrManagedSlaveSecurityGroup: T.Optional(Text),
    ServiceAccessSecurityGroup: T.Optional(Text),
    AdditionalMasterSecurityGroups: T.Optional(Texts),
    AdditionalSlaveSecurityGroups: T.Optional(Texts),
    MasterInstanceType: T.Optional(Text),
    InstanceCount: T.Optional(Count),
    InstanceGroups: T.Optional(T.Array(InstanceGroupSchema, {maxItems: MAX_LIST_ITEMS})),
    InstanceFleets: T.Optional(T.Array(InstanceFleetSchema, {maxItems: MAX_LIST_ITEMS})),
  }),
})
type RunJobFlowInput = Static<typeof RunJobFlowSchema>

function primaryNodes(instances: RunJobFlowInput['Instances']): number | undefined {
  const group = instances.InstanceGroups?.find((entry) => entry.InstanceRole === 'MASTER')
  if (group) return group.InstanceCount
  const fleet = instances.InstanceFleets?.find((entry) => entry.InstanceFleetType === 'MASTER')
  if (fleet) return (fleet.TargetOnDemandCapacity ?? 0) + (fleet.TargetSpotCapacity ?? 0)
  // The uniform shape (MasterInstanceType + InstanceCount) always has one primary node.
  return instances.MasterInstanceType ? 1 : undefined
}

const usesSpot = (instances: RunJobFlowInput['Instances']): boolean =>
  (instances.InstanceGroups ?? []).some((group) => group.Market === 'SPOT') ||
  (instances.InstanceFleets ?? []).some((fleet) => (fleet.TargetSpotCapacity ?? 0) > 0)

/** `value` is the parsed JSON of FILE (named in messages). */
export function parseRunJobFlow(value: unknown, file: string): LaunchRequest {
  const [problem] = schemaProblems(RunJobFlowSchema, value, 1)
  if (problem) throw new UserInputError(forLog(`${file}: not a RunJobFlow request: ${readablePath(problem.path) || 'the document'}: ${problem.message}`))
  const input = value as RunJobFlowInput
  const instances = input.Instances
  const subnetIds = [...new Set([...(instances.Ec2SubnetId ? [instances.Ec2SubnetId] : []), ...(instances.Ec2SubnetIds ?? [])])]
  const primary = primaryNodes(instances)
  const cluster: RequestedCluster = {
    address: 'RunJobFlow',
    name: input.Name,
    ...(input.ReleaseLabel ? {releaseLabel: input.ReleaseLabel} : {}),
    applications: (input.Applications ?? []).flatMap((application) => (application.Name ? [application.Name] : [])),
    ...(input.ServiceRole ? {serviceRole: input.ServiceRole} : {}),
    ...(input.JobFlowRole ? {jobFlowRole: input.JobFlowRole} : {}),
    ...(input.AutoScalingRole ? {autoScalingRole: input.AutoScalingRole} : {}),
    ...(input.SecurityConfiguration ? {securityConfiguration: input.SecurityConfiguration} : {}),
    subnetIds,
    ...(instances.EmrManagedMasterSecurityGroup ? {masterSecurityGroup: instances.EmrManagedMasterSecurityGroup} : {}),
    ...(instances.EmrManagedSlaveSecurityGroup ? {slaveSecurityGroup: instances.EmrManagedSlaveSecurityGroup} : {}),
    ...(instances.ServiceAccessSecurityGroup ? {serviceAccessSecurityGroup: instances.ServiceAccessSecurityGroup} : {}),
    additionalMasterSecurityGroups: instances.AdditionalMasterSecurityGroups ?? [],
    additionalSlaveSecurityGroups: instances.AdditionalSlaveSecurityGroups ?? [],
    ...(primary !== undefined ? {primaryNodes: primary} : {}),
    usesSpot: usesSpot(instances),
    tags: (input.Tags ?? []).map((tag) => ({key: tag.Key, value: tag.Value ?? ''})),
    fields: {
      serviceRole: 'ServiceRole',
      jobFlowRole: 'JobFlowRole',
      autoScalingRole: 'AutoScalingRole',
      securityConfiguration: 'SecurityConfiguration',
      subnet: instances.Ec2SubnetIds ? 'Instances.Ec2SubnetIds' : 'Instances.Ec2SubnetId',
      securityGroups: 'Instances.EmrManagedMasterSecurityGroup',
      releaseLabel: 'ReleaseLabel',
      primaryNodes: instances.InstanceFleets ? 'Instances.InstanceFleets' : 'Instances.InstanceGroups',
      tags: 'Tags',
    },
  }
  return {format: 'run-job-flow', clusters: [cluster], planned: NOTHING_PLANNED}
}
