/**
 * Issue 14 item 6: one policy with `iam:PassRole` on `role/******************************!` stopped a scan
 * (a backtracking regular expression). Every rule now runs over such policies; the matcher's own step
 * bounds are in glob.test.ts.
 */
import {describe, expect, it} from 'vitest'
import {ACCOUNT, allowService, cluster, doc, emptyInventory, role, withRoles} from '../../test/fixtures/inventory.js'
import {analyze} from '../app/analyze.js'

const stars = `arn:aws:iam::${ACCOUNT}:role/${'*'.repeat(30)}!`
const longName = `EMR_EC2_${'x'.repeat(56)}`

describe('hostile glob patterns', () => {
  it('every rule decides a PassRole, resource and condition pattern of thirty stars against long ARNs', () => {
    const hostile = doc(
      {Effect: 'Allow', Action: ['iam:PassRole', `iam:${'*'.repeat(40)}!`], Resource: stars},
      {
        Effect: 'Allow',
        Action: 's3:*',
        Resource: `arn:aws:s3:::${'*'.repeat(40)}!`,
        Condition: {StringLike: {'iam:PassedToService': `${'*'.repeat(40)}!`}, ArnLike: {'aws:SourceArn': `arn:aws:*:*:*:${'*'.repeat(40)}!`}},
      },
    )
    const service = role({name: 'EMR_DefaultRole', trust: doc(allowService('elasticmapreduce.amazonaws.com')), inline: {hostile}})
    const ec2 = role({
      name: longName,
      trust: doc(allowService('ec2.amazonaws.com', {Condition: {StringLike: {'aws:SourceArn': `${'*'.repeat(40)}!`}}})),
      inline: {hostile},
      profiles: [{name: longName}],
    })
    const inventory = withRoles(emptyInventory(), service, ec2)
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'EMR_DefaultRole', instanceProfile: longName}))
    const findings = analyze(inventory, {config: {}})
    expect(findings.length).toBeGreaterThan(10)
    expect(findings.filter((finding) => finding.status === 'error')).toEqual([])
  })
})
