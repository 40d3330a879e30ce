/**
 * EMR-CLUSTER-001: PutBlockPublicAccessConfiguration replaces the whole configuration
 * (https://docs.aws.amazon.com/emr/latest/APIReference/API_PutBlockPublicAccessConfiguration.html), so the
 * fix resends the permitted ranges as they are; narrowing them is shown, never applied.
 */
import {describe, expect, it} from 'vitest'
import {ACCOUNT, emptyInventory, REGION} from '../../../test/fixtures/inventory.js'
import {finding as failing} from '../../../test/fixtures/report.js'
import type {Finding} from '../../findings/types.js'
import type {Inventory} from '../../inventory/schema.js'
import {buildIndex} from '../../rules/inventory-index.js'
import blockPublicAccess from './block-public-access.js'

const account = (evidence: Record<string, unknown> = {}, region: string | null = REGION): Finding =>
  failing('EMR-CLUSTER-001', 'high', 'fail', ACCOUNT, {resource: {type: 'account', id: ACCOUNT, ...(region ? {region} : {})}, evidence})

function withConfiguration(blockPublicSecurityGroupRules: boolean | undefined, permittedRanges = [{min: 22, max: 22}, {min: 8443}]): Inventory {
  const inventory = emptyInventory()
  inventory.emr.blockPublicAccess.push({
    region: REGION,
    ...(blockPublicSecurityGroupRules === undefined ? {} : {blockPublicSecurityGroupRules}),
    permittedRanges,
  })
  return inventory
}
const plan = (inventory: Inventory, findings: Finding[]) => blockPublicAccess.plan(findings, {inventory, index: buildIndex(inventory), config: {}})

describe('the block public access fix', () => {
  it('turns the block on in the finding’s region, keeping every permitted range', () => {
    const finding = account()
    expect(plan(withConfiguration(false), [finding])).toEqual({
      proposals: [
        {
          kind: 'put-block-public-access',
          region: REGION,
          target: finding.resource,
          ruleIds: ['EMR-CLUSTER-001'],
          findings: [finding.fingerprint],
          before: {kind: 'block-public-access', blockPublicSecurityGroupRules: false, permittedRanges: [{min: 22, max: 22}, {min: 8443}]},
          summary: `Turn on EMR block public access in ${REGION}, keeping the permitted ranges`,
          after: {kind: 'block-public-access', blockPublicSecurityGroupRules: true, permittedRanges: [{min: 22, max: 22}, {min: 8443}]},
          guards: [{name: 'noActiveClusterWithPublicIngress', held: true, detail: `no active cluster in ${REGION} has a world-open rule it would refuse`}],
        },
      ],
      declined: [],
    })
  })

  it('holds off while an active cluster has a world-open rule the block would refuse', () => {
    const [proposal] = plan(withConfiguration(false), [account({guard: {activeClustersWithPublicIngress: ['j-1', 'j-2']}})]).proposals
    expect(proposal?.guards).toEqual([
      {
        name: 'noActiveClusterWithPublicIngress',
        held: false,
        detail: 'clusters j-1, j-2 have world-open rules block public access would refuse at their next launch',
      },
    ])
  })

  it('with the block on, shows narrowing the permitted ranges to port 22 alone, never applied', () => {
    const [proposal] = plan(withConfiguration(true, [{min: 22, max: 22}, {min: 22}, {min: 22, max: 23}, {min: 8443}]), [account()]).proposals
    expect(proposal).toMatchObject({
      summary: `Permit only port 22 in EMR block public access in ${REGION}`,
      after: {kind: 'block-public-access', blockPublicSecurityGroupRules: true, permittedRanges: [{min: 22, max: 22}, {min: 22}]},
      guards: [{name: 'keepsPermittedRanges', held: false, detail: 'removing permitted ranges may break launches that rely on them; decide per range'}],
    })
    // Exactly those two: a range without MaxRange is the one port MinRange names
    // (https://docs.aws.amazon.com/emr/latest/APIReference/API_PortRange.html); 22-23 is not port 22 alone.
    expect(proposal?.after).toEqual({kind: 'block-public-access', blockPublicSecurityGroupRules: true, permittedRanges: [{min: 22, max: 22}, {min: 22}]})
  })

  it("reads the configuration of the finding's own region", () => {
    // Block public access is configured per region: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-block-public-access.html
    const inventory = withConfiguration(true)
    inventory.emr.blockPublicAccess.push({region: 'eu-west-1', blockPublicSecurityGroupRules: false, permittedRanges: [{min: 22, max: 22}]})
    const [proposal] = plan(inventory, [account({}, 'eu-west-1')]).proposals
    expect(proposal).toMatchObject({region: 'eu-west-1', summary: 'Turn on EMR block public access in eu-west-1, keeping the permitted ranges'})
    expect(proposal?.before).toEqual({kind: 'block-public-access', blockPublicSecurityGroupRules: false, permittedRanges: [{min: 22, max: 22}]})
  })

  it('declines where the configuration was not read', () => {
    const why = 'the current configuration was not read'
    expect(plan(withConfiguration(undefined), [account()]).declined).toEqual([{fingerprint: account().fingerprint, why}])
    expect(plan(emptyInventory(), [account()]).declined).toEqual([{fingerprint: account().fingerprint, why}])
    expect(plan(withConfiguration(false), [account({}, null)])).toEqual({proposals: [], declined: [{fingerprint: account().fingerprint, why}]})
  })
})
