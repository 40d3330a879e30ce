/** The evaluator against the real AWS managed policy documents. */
import {describe, expect, it} from 'vitest'
import {awsManaged} from '../../test/fixtures/managed-policies.js'
import {evaluateIdentityAccess} from './evaluate.js'

const source = (name: string) => {
  const policy = awsManaged(name)
  return [{label: policy.arn, document: policy.document}]
}
const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`
const TAG = 'for-use-with-amazon-emr-managed-policies'

describe('AmazonEMRServicePolicy_v2', () => {
  const v2 = source('AmazonEMRServicePolicy_v2')
  it('passes EMR_EC2_DefaultRole to EC2, but not a custom-named EC2 role', () => {
    const pass = (target: string) =>
      evaluateIdentityAccess(v2, {action: 'iam:PassRole', resource: role(target), context: {'iam:PassedToService': ['ec2.amazonaws.com']}}).decision
    expect(pass('EMR_EC2_DefaultRole')).toBe('allow')
    expect(pass('my-custom-ec2-role')).toBe('implicit-deny')
  })
  it('passes EMR_AutoScaling_DefaultRole only to Application Auto Scaling', () => {
    const pass = (service: string) =>
      evaluateIdentityAccess(v2, {action: 'iam:PassRole', resource: role('EMR_AutoScaling_DefaultRole'), context: {'iam:PassedToService': [service]}}).decision
    expect(pass('application-autoscaling.amazonaws.com')).toBe('allow')
    expect(pass('lambda.amazonaws.com')).toBe('implicit-deny')
  })
  it('terminates only instances that carry the v2 tag', () => {
    const terminate = (tagValue: string[]) =>
      evaluateIdentityAccess(v2, {
        action: 'ec2:TerminateInstances',
        resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1',
        context: {[`aws:ResourceTag/${TAG}`]: tagValue},
      }).decision
    expect(terminate(['true'])).toBe('allow')
    expect(terminate(['True'])).toBe('implicit-deny')
    expect(terminate([])).toBe('implicit-deny')
  })
  it('cannot create the Spot service-linked role (the v1 policy could)', () => {
    const request = {
      action: 'iam:CreateServiceLinkedRole',
      resource: role('aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot'),
      context: {'iam:AWSServiceName': ['spot.amazonaws.com']},
    }
    expect(evaluateIdentityAccess(v2, request).decision).toBe('implicit-deny')
    expect(evaluateIdentityAccess(source('AmazonElasticMapReduceRole'), request).decision).toBe('allow')
  })
})

describe('other EMR managed policies', () => {
  it('AmazonEMRFullAccessPolicy_v2 passes EMR_DefaultRole_V2 to EMR, not EMR_DefaultRole', () => {
    const full = source('AmazonEMRFullAccessPolicy_v2')
    const pass = (target: string) =>
      evaluateIdentityAccess(full, {action: 'iam:PassRole', resource: role(target), context: {'iam:PassedToService': ['elasticmapreduce.amazonaws.com']}})
        .decision
    expect(pass('EMR_DefaultRole_V2')).toBe('allow')
    expect(pass('EMR_DefaultRole')).toBe('implicit-deny')
  })
  it('the v1 policies pass any role', () => {
    for (const name of ['AmazonElasticMapReduceRole', 'AmazonElasticMapReduceFullAccess']) {
      expect(evaluateIdentityAccess(source(name), {action: 'iam:PassRole', resource: role('AdminRole')}).decision).toBe('allow')
    }
  })
  it('AmazonElasticMapReduceforEC2Role grants s3:* on every bucket', () => {
    expect(
      evaluateIdentityAccess(source('AmazonElasticMapReduceforEC2Role'), {action: 's3:DeleteObject', resource: 'arn:aws:s3:::any-bucket/any-key'}).decision,
    ).toBe('allow')
  })
})
