import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {UserInputError} from '../shared/errors.js'
import {parseLaunchInput} from './input.js'
import {emptyInventory, role, withRoles} from '../../test/fixtures/inventory.js'
import {overlay} from './overlay.js'
import type {AccountFacts} from './planned.js'

const ACCOUNT: AccountFacts = {id: '111122223333', partition: 'aws', region: 'eu-west-1'}
const FIXTURE = readFileSync(new URL('../../test/fixtures/preflight/terraform-plan.json', import.meta.url), 'utf8')
type Plan = {
  planned_values: {root_module: {resources: Array<{address: string; values: Record<string, unknown>}>; child_modules?: unknown[]}}
  resource_changes: Array<{address: string; change: {actions: string[]; after_unknown: Record<string, unknown>}}>
  configuration: {root_module: {resources: Array<{address: string; expressions: Record<string, unknown>}>; module_calls?: unknown}}
}

const fixture = (): Plan => JSON.parse(FIXTURE) as Plan
const build = (plan: unknown) => parseLaunchInput(JSON.stringify(plan), 'plan.json', {parameters: {}}).build(ACCOUNT)
const failure = (plan: unknown): string => {
  try {
    build(plan)
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError)
    return (error as Error).message
  }
  throw new Error('expected the plan to be refused')
}
const resourceOf = (plan: Plan, address: string) => plan.planned_values.root_module.resources.find((entry) => entry.address === address)!
const changeOf = (plan: Plan, address: string) => plan.resource_changes.find((entry) => entry.address === address)!

describe('a Terraform plan (terraform show -json)', () => {
  it('reads the cluster at its address, following values known only after apply to the resources of the plan', () => {
    const request = build(fixture())
    expect(request.format).toBe('terraform')
    expect(request.clusters).toHaveLength(1)
    const [cluster] = request.clusters
    expect(cluster).toMatchObject({
      address: 'aws_emr_cluster.etl',
      name: 'etl',
      releaseLabel: 'emr-7.1.0',
      applications: ['Spark'],
      serviceRole: 'etl-emr-service',
      jobFlowRole: 'EMR_EC2_DefaultRole',
      securityConfiguration: 'encrypted',
      subnetIds: ['planned:aws_subnet.private'],
      masterSecurityGroup: 'planned:aws_security_group.master',
      slaveSecurityGroup: 'planned:aws_security_group.slave',
      serviceAccessSecurityGroup: 'planned:aws_security_group.service_access',
      primaryNodes: 1,
      usesSpot: false,
      tags: [{key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}],
    })
    expect(cluster?.fields.jobFlowRole).toBe('aws_emr_cluster.etl.ec2_attributes.instance_profile')
    expect(cluster?.fields.subnet).toBe('aws_emr_cluster.etl.ec2_attributes.subnet_id')
  })

  it("builds what the plan creates in the inventory's shapes, with ARNs in the account it is launched in", () => {
    const {planned} = build(fixture())
    const service = planned.roles.find((role) => role.name === 'etl-emr-service')
    expect(service?.arn).toBe('arn:aws:iam::111122223333:role/etl-emr-service')
    expect(service?.trustPolicy).toMatchObject({Statement: [{Principal: {Service: 'elasticmapreduce.amazonaws.com'}}]})
    // Attached by a separate aws_iam_role_policy_attachment.
    expect(service?.attachedPolicies.map((policy) => policy.arn)).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2'])
    expect(planned.roles.find((role) => role.name === 'EMR_EC2_DefaultRole')?.inlinePolicies.map((policy) => policy.name)).toEqual(['data'])
    expect(planned.instanceProfiles).toEqual([
      expect.objectContaining({
        name: 'EMR_EC2_DefaultRole',
        arn: 'arn:aws:iam::111122223333:instance-profile/EMR_EC2_DefaultRole',
        roles: [{name: 'EMR_EC2_DefaultRole', arn: 'arn:aws:iam::111122223333:role/EMR_EC2_DefaultRole'}],
      }),
    ])
    expect(planned.subnets).toEqual([
      expect.objectContaining({
        id: 'planned:aws_subnet.private',
        region: 'eu-west-1',
        tags: [{key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}],
      }),
    ])
    expect(planned.securityGroups.map((group) => group.id).sort()).toEqual([
      'planned:aws_security_group.master',
      'planned:aws_security_group.service_access',
      'planned:aws_security_group.slave',
    ])
  })

  it('launches only clusters the plan creates: one being deleted or left as it is is not checked', () => {
    const plan = fixture()
    changeOf(plan, 'aws_emr_cluster.etl').change.actions = ['no-op']
    expect(build(plan).clusters).toEqual([])
    changeOf(plan, 'aws_emr_cluster.etl').change.actions = ['delete', 'create']
    expect(build(plan).clusters).toHaveLength(1)
  })

  it('reads clusters of child modules, resolving references inside their module', () => {
    const plan = fixture()
    const root = plan.planned_values.root_module
    const moved = (address: string) => `module.emr.${address}`
    plan.planned_values.root_module = {
      resources: [],
      child_modules: [{address: 'module.emr', resources: root.resources.map((resource) => ({...resource, address: moved(resource.address)}))}],
    }
    plan.resource_changes = plan.resource_changes.map((change) => ({...change, address: moved(change.address)}))
    plan.configuration.root_module = {resources: [], module_calls: {emr: {source: './emr', module: {resources: plan.configuration.root_module.resources}}}}
    const [cluster] = build(plan).clusters
    expect(cluster?.address).toBe('module.emr.aws_emr_cluster.etl')
    expect(cluster?.serviceRole).toBe('etl-emr-service')
    expect(cluster?.subnetIds).toEqual(['planned:module.emr.aws_subnet.private'])
    expect(cluster?.fields.serviceRole).toBe('module.emr.aws_emr_cluster.etl.service_role')
  })

  // A module's values reach its caller only through its outputs; the plan's configuration lists what each
  // output expression refers to (https://developer.hashicorp.com/terraform/internals/json-format#configuration-representation).
  it("follows a reference to another module's output to the role that module creates", () => {
    const plan = fixture()
    const root = plan.planned_values.root_module
    const service = resourceOf(plan, 'aws_iam_role.service')
    root.resources = root.resources.filter((resource) => resource !== service)
    root.child_modules = [{address: 'module.iam', resources: [{...service, address: 'module.iam.aws_iam_role.service'}]}]
    changeOf(plan, 'aws_iam_role.service').address = 'module.iam.aws_iam_role.service'
    const configured = plan.configuration.root_module
    const roleConfig = configured.resources.find((resource) => resource.address === 'aws_iam_role.service')!
    configured.resources = configured.resources.filter((resource) => resource !== roleConfig)
    configured.module_calls = {
      iam: {
        source: './iam',
        module: {
          resources: [roleConfig],
          outputs: {service_role_arn: {expression: {references: ['aws_iam_role.service.arn', 'aws_iam_role.service']}}},
        },
      },
    }
    const clusterConfig = configured.resources.find((resource) => resource.address === 'aws_emr_cluster.etl')!
    clusterConfig.expressions['service_role'] = {references: ['module.iam.service_role_arn', 'module.iam']}
    const [cluster] = build(plan).clusters
    expect(cluster?.serviceRole).toBe('etl-emr-service')
  })

  it('stops following module outputs that fan out without end, refusing the value instead of hanging', () => {
    const plan = fixture()
    const manyOutputs = Array.from({length: 100}, () => 'module.m.o')
    let nested: Record<string, unknown> = {resources: [], outputs: {o: {expression: {references: manyOutputs}}}}
    for (let depth = 0; depth < 40; depth++)
      nested = {resources: [], module_calls: {m: {module: nested}}, outputs: {o: {expression: {references: manyOutputs}}}}
    plan.configuration.root_module.module_calls = (nested as {module_calls: unknown}).module_calls
    plan.configuration.root_module.resources.find((resource) => resource.address === 'aws_emr_cluster.etl')!.expressions['service_role'] = {
      references: ['module.m.o'],
    }
    const started = Date.now()
    expect(failure(plan)).toContain('service_role')
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  // RunJobFlow requests are held to 100 ids per list and 50 tags (run-job-flow.ts; https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-tags-restrictions.html):
  // a plan of millions of ids would otherwise exhaust memory, one finding per id.
  it('refuses a cluster listing more ids or tags than a RunJobFlow request may hold', () => {
    const groups = fixture()
    const ec2 = (resourceOf(groups, 'aws_emr_cluster.etl').values['ec2_attributes'] as Array<Record<string, unknown>>)[0]!
    ec2['additional_master_security_groups'] = Array.from({length: 101}, (_, index) => `sg-${index}`).join(',')
    expect(failure(groups)).toContain('aws_emr_cluster.etl.ec2_attributes.additional_master_security_groups: more than 100')
    const tags = fixture()
    const values = resourceOf(tags, 'aws_emr_cluster.etl').values
    values['tags_all'] = Object.fromEntries(Array.from({length: 51}, (_, index) => [`k${index}`, 'v']))
    expect(failure(tags)).toContain('aws_emr_cluster.etl.tags_all: more than 50')
  })

  it('splits the comma-separated additional security groups and reads Spot bids and three primary nodes', () => {
    const plan = fixture()
    const cluster = resourceOf(plan, 'aws_emr_cluster.etl')
    cluster.values['ec2_attributes'] = [{additional_master_security_groups: 'sg-0aaa, sg-0bbb'}]
    cluster.values['master_instance_group'] = [{instance_count: 3}]
    cluster.values['core_instance_group'] = [{instance_count: 2, bid_price: '0.30'}]
    const [requested] = build(plan).clusters
    expect(requested?.additionalMasterSecurityGroups).toEqual(['sg-0aaa', 'sg-0bbb'])
    expect(requested?.primaryNodes).toBe(3)
    expect(requested?.usesSpot).toBe(true)
  })

  it("reads a group's ingress, in the group and in separate rule resources that refer to it", () => {
    const plan = fixture()
    resourceOf(plan, 'aws_security_group.master').values['ingress'] = [
      {protocol: 'tcp', from_port: 8443, to_port: 8443, cidr_blocks: ['10.0.0.0/8'], ipv6_cidr_blocks: [], security_groups: [], prefix_list_ids: []},
    ]
    const rule = {
      address: 'aws_vpc_security_group_ingress_rule.open',
      type: 'aws_vpc_security_group_ingress_rule',
      values: {ip_protocol: 'tcp', from_port: 8080, to_port: 8080, cidr_ipv4: '0.0.0.0/0'},
    }
    plan.planned_values.root_module.resources.push({...rule, mode: 'managed'} as never)
    plan.resource_changes.push({address: rule.address, change: {actions: ['create'], after_unknown: {id: true, security_group_id: true}}})
    plan.configuration.root_module.resources.push({
      address: rule.address,
      expressions: {security_group_id: {references: ['aws_security_group.master.id', 'aws_security_group.master']}},
    })
    const master = build(plan).planned.securityGroups.find((group) => group.id === 'planned:aws_security_group.master')
    expect(master?.ingress).toEqual([
      {protocol: 'tcp', fromPort: 8443, toPort: 8443, ipv4Ranges: ['10.0.0.0/8'], ipv6Ranges: [], sourceGroups: [], prefixLists: []},
      {protocol: 'tcp', fromPort: 8080, toPort: 8080, ipv4Ranges: ['0.0.0.0/0'], ipv6Ranges: [], sourceGroups: [], prefixLists: []},
    ])
  })

  it('refuses a value known only after apply that leads to no resource of the plan, naming it', () => {
    const plan = fixture()
    const config = plan.configuration.root_module.resources.find((entry) => entry.address === 'aws_emr_cluster.etl')!
    config.expressions['service_role'] = {references: ['module.iam.service_role_arn', 'module.iam']}
    expect(failure(plan)).toMatch(/plan\.json: aws_emr_cluster\.etl\.service_role: is known only after apply/)
  })

  it('refuses a field of the wrong type by its path', () => {
    const plan = fixture()
    resourceOf(plan, 'aws_emr_cluster.etl').values['release_label'] = 7
    expect(failure(plan)).toContain('aws_emr_cluster.etl.release_label: expected a string, found a number')
    const broken = fixture() as unknown as {resource_changes: unknown}
    broken.resource_changes = {}
    expect(() => parseLaunchInput(JSON.stringify(broken), 'plan.json', {parameters: {}})).toThrow('plan.json: resource_changes: expected a list')
  })

  it('escapes control characters from the plan in its messages', () => {
    const plan = fixture()
    const cluster = resourceOf(plan, 'aws_emr_cluster.etl')
    cluster.address = 'aws_emr_cluster.\u001b[31mred'
    changeOf(plan, 'aws_emr_cluster.etl').address = cluster.address
    cluster.values['release_label'] = false
    const message = failure(plan)
    expect(message).toContain('aws_emr_cluster.\\x1b[31mred.release_label')
    expect(message).not.toContain('\u001b')
  })

  it('does not walk into prototype keys or modules nested without end', () => {
    const plan = fixture()
    const cluster = resourceOf(plan, 'aws_emr_cluster.etl')
    // A prototype key in after_unknown must not make a value unknown, nor one in values make it known.
    changeOf(plan, 'aws_emr_cluster.etl').change.after_unknown = JSON.parse('{"__proto__": {"autoscaling_role": true}, "service_role": false}') as Record<
      string,
      unknown
    >
    cluster.values['service_role'] = 'etl-emr-service'
    const [requested] = build(plan).clusters
    expect(requested?.autoScalingRole).toBeUndefined()
    let nested: Record<string, unknown> = {address: 'module.x', resources: []}
    for (let depth = 0; depth < 40; depth++) nested = {address: 'module.x', resources: [], child_modules: [nested]}
    plan.planned_values.root_module.child_modules = [nested]
    expect(failure(plan)).toContain('nested deeper than 32')
  })
  // Resources a plan deletes are absent from planned_values and listed in resource_changes with change.before
  // (https://developer.hashicorp.com/terraform/internals/json-format#change-representation): once applied, a
  // cluster naming them launches against a role or profile that no longer exists.
  it('a role or instance profile the plan deletes is gone from the account the cluster is judged in', () => {
    const plan = fixture()
    plan.resource_changes.push(
      {address: 'aws_iam_role.old', change: {actions: ['delete'], after_unknown: {}, before: {name: 'EMR_AutoScaling_DefaultRole'}}} as never,
      {address: 'module.m.aws_iam_instance_profile.old["v1.2"]', change: {actions: ['delete'], after_unknown: {}, before: {name: 'old-profile'}}} as never,
      {address: 'aws_iam_role.kept', change: {actions: ['update'], after_unknown: {}, before: {name: 'kept'}}} as never,
    )
    const scanned = withRoles(
      emptyInventory(),
      role({name: 'EMR_AutoScaling_DefaultRole'}),
      role({name: 'kept'}),
      role({name: 'with-profile', profiles: [{name: 'old-profile'}]}),
    )
    scanned.iam.instanceProfiles.push({name: 'old-profile', arn: 'arn:aws:iam::123456789012:instance-profile/old-profile', path: '/', id: 'AIPAOLD', roles: []})
    const {inventory} = overlay(scanned, build(plan), ACCOUNT.region)
    expect(inventory.iam.roles.map((entry) => entry.name)).not.toContain('EMR_AutoScaling_DefaultRole')
    expect(inventory.iam.roles.map((entry) => entry.name)).toContain('kept')
    expect(inventory.iam.instanceProfiles.map((entry) => entry.name)).not.toContain('old-profile')
  })
})
