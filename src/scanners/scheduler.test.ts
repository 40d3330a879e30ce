import {describe, expect, it} from 'vitest'
import type {SourceId, SourceOutcome} from '../inventory/schema.js'
import {NOT_READ_BY_SCAN, SOURCE_COVERAGE} from '../inventory/sources.js'
import {expectedSources} from '../app/scan.js'
import {call, createLimiters, type ScanContext, UndeclaredActionError} from './context.js'
import {checkSources, runSources} from './scheduler.js'
import {defineSource, type Source} from './source.js'
import {SOURCES} from './sources.js'

function context(recorded: SourceOutcome[] = []): ScanContext {
  return {
    clients: {} as ScanContext['clients'],
    scope: {regions: ['us-east-1', 'eu-west-1'], config: {}},
    homeRegion: 'us-east-1',
    limit: createLimiters(2),
    record: (outcome) => recorded.push(outcome),
  }
}

const clusters = (collect: Source<'emr.clusters'>['collect'], actions: string[] = []) =>
  defineSource({id: 'emr.clusters', actions, scope: 'regional', dependsOn: [], collect})

describe('the source scheduler', () => {
  it('runs a regional source once per region and a global one once, handing each its declared inputs', async () => {
    const runs: string[] = []
    const regional = clusters(async (ctx) => {
      runs.push(`clusters ${ctx.region}`)
      return []
    })
    const global = defineSource({
      id: 'kms.keys',
      actions: [],
      scope: 'global',
      dependsOn: ['emr.clusters'],
      async collect(ctx) {
        runs.push(`keys after ${(await ctx.inputByRegion('emr.clusters')).map(({region}) => region).join(',')}`)
        return []
      },
    })
    const run = await runSources([global, regional], context())
    expect(runs.sort()).toEqual(['clusters eu-west-1', 'clusters us-east-1', 'keys after us-east-1,eu-west-1'])
    expect([...run.done].sort()).toEqual(['emr.clusters', 'kms.keys'])
  })

  it('refuses a source that awaits a source it did not declare', async () => {
    const sneaky = defineSource({
      id: 'emr.steps',
      actions: [],
      scope: 'regional',
      dependsOn: [],
      collect: async (ctx) => (await ctx.input('emr.clusters'), new Map()),
    })
    await expect(runSources([sneaky, clusters(async () => [])], context())).rejects.toThrow(
      'source emr.steps awaits emr.clusters without declaring it in dependsOn',
    )
  })

  it('refuses cycles and dependencies on sources not declared', () => {
    const a = defineSource({id: 'emr.steps', actions: [], scope: 'regional', dependsOn: ['emr.clusters'], collect: async () => new Map()})
    const b = defineSource({id: 'emr.clusters', actions: [], scope: 'regional', dependsOn: ['emr.steps'], collect: async () => []})
    expect(() => checkSources([a, b])).toThrow('sources depend on each other in a cycle: emr.steps → emr.clusters → emr.steps')
    expect(() => checkSources([a])).toThrow('source emr.steps depends on emr.clusters, which is not declared')
  })

  it('stops the scan when a source calls an action it does not declare (the generated policy would lack it)', async () => {
    const liar = clusters((ctx) => call(ctx, 'emr', ctx.region, 'elasticmapreduce:DescribeCluster', async () => []), ['elasticmapreduce:ListClusters'])
    await expect(runSources([liar], context())).rejects.toBeInstanceOf(UndeclaredActionError)
  })

  it('tells a source has finished once, when it has finished in every region', async () => {
    const events: string[] = []
    const slowInEurope = clusters(async (ctx) => {
      if (ctx.region === 'eu-west-1') await new Promise((resolve) => setTimeout(resolve, 5))
      events.push(`read ${ctx.region}`)
      return []
    })
    await runSources([slowInEurope], context(), {onSourceDone: (id) => events.push(`done ${id}`)})
    expect(events).toEqual(['read us-east-1', 'read eu-west-1', 'done emr.clusters'])
  })

  it('the declared sources are the ones progress counts, as before the scheduler', () => {
    expect(
      expectedSources(['us-east-1'])
        .map(({source, region}) => `${region}:${source}`)
        .sort(),
    ).toEqual(
      [
        ...['sts.identity', 'iam.authorizationDetails', 'iam.instanceProfiles', 'iam.awsManagedPolicies', 'iam.accountSummary', 's3.bucketEncryption'].map(
          (source) => `global:${source}`,
        ),
        ...[
          'emr.clusters',
          'emr.instanceCapacity',
          'emr.instances',
          'emr.steps',
          'emr.securityConfigurations',
          'emr.blockPublicAccess',
          'emr.studios',
          'ec2.vpcs',
          'ec2.subnets',
          'ec2.securityGroups',
          'ec2.networkInterfaces',
          'secretsmanager.secrets',
          'kms.keys',
        ].map((source) => `us-east-1:${source}`),
      ].sort(),
    )
    expect(() => checkSources(SOURCES)).not.toThrow()
  })

  it('every source is declared, recording its coverage where the rules look for it (the account or each region)', () => {
    expect(SOURCES.map((source) => source.id).sort()).toEqual(
      Object.keys(SOURCE_COVERAGE)
        .filter((id) => !NOT_READ_BY_SCAN.includes(id as SourceId))
        .sort(),
    )
    for (const source of SOURCES) {
      const recorded = source.progress === undefined || source.progress === 'uncounted' ? source.scope : source.progress
      expect({source: source.id, recorded}).toEqual({source: source.id, recorded: SOURCE_COVERAGE[source.id]})
    }
  })
})
