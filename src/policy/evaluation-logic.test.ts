/**
 * Evaluation logic: explicit deny wins; an allow is needed from identity policies and, when one is set,
 * from the permissions boundary; NotAction and NotResource match everything they do not list.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
import {describe} from 'vitest'
import {type AccessCase, checkAccessCases} from '../../test/fixtures/policy-cases.js'
import type {PolicyDocument} from '../inventory/schema.js'

const v12 = (...statements: object[]): PolicyDocument => ({Version: '2012-10-17', Statement: statements})
const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`
const passRole = (name: string, context = {}) => ({action: 'iam:PassRole', resource: role(name), context})
const allowAll = v12({Effect: 'Allow', Action: '*', Resource: '*'})

describe('NotAction and NotResource', () => {
  const cases: AccessCase[] = [
    {
      name: 'Allow NotAction iam:* does not grant iam:PassRole',
      policies: [v12({Effect: 'Allow', NotAction: 'iam:*', Resource: '*'})],
      request: passRole('x'),
      expected: 'implicit-deny',
    },
    {
      name: 'Allow NotAction iam:* grants s3',
      policies: [v12({Effect: 'Allow', NotAction: 'iam:*', Resource: '*'})],
      request: {action: 's3:GetObject', resource: 'arn:aws:s3:::b/k'},
      expected: 'allow',
    },
    {
      name: 'Deny NotAction s3:* denies iam:PassRole',
      policies: [allowAll, v12({Effect: 'Deny', NotAction: 's3:*', Resource: '*'})],
      request: passRole('x'),
      expected: 'explicit-deny',
      deniedBy: ['p1'],
    },
    {
      name: 'Allow NotResource excludes the listed role',
      policies: [v12({Effect: 'Allow', Action: 'iam:PassRole', NotResource: role('admin')})],
      request: passRole('admin'),
      expected: 'implicit-deny',
    },
    {
      name: 'Allow NotResource grants the others',
      policies: [v12({Effect: 'Allow', Action: 'iam:PassRole', NotResource: role('admin')})],
      request: passRole('emr'),
      expected: 'allow',
    },
    {
      name: 'Deny NotResource role/emr/* narrows Allow *',
      policies: [allowAll, v12({Effect: 'Deny', Action: 'iam:PassRole', NotResource: 'arn:aws:iam::123456789012:role/emr/*'})],
      request: passRole('admin'),
      expected: 'explicit-deny',
    },
    {
      name: 'statements are found whatever the case of the service prefix',
      policies: [v12({Effect: 'Allow', Action: 'IAM:PassRole', Resource: '*'})],
      request: passRole('x'),
      expected: 'allow',
    },
    {
      name: 'a wildcard in the service prefix is examined for every service',
      policies: [v12({Effect: 'Allow', Action: 'i?m:Pass*', Resource: '*'})],
      request: passRole('x'),
      expected: 'allow',
    },
    {
      name: 'a statement for another service does not answer',
      policies: [v12({Effect: 'Allow', Action: 's3:*', Resource: '*'})],
      request: passRole('x'),
      expected: 'implicit-deny',
    },
    {
      name: 'statements listing several services answer for each',
      policies: [v12({Effect: 'Allow', Action: ['s3:GetObject', 'iam:PassRole'], Resource: '*'})],
      request: passRole('x'),
      expected: 'allow',
    },
  ]
  checkAccessCases(cases)
})

describe('permissions boundaries', () => {
  const onlyS3 = v12({Effect: 'Allow', Action: 's3:*', Resource: '*'})
  const boundaryDeniesPassRole = v12({Effect: 'Allow', Action: '*', Resource: '*'}, {Effect: 'Deny', Action: 'iam:PassRole', Resource: '*'})
  const cases: AccessCase[] = [
    {name: 'an action outside the boundary is implicitly denied', policies: [allowAll], boundary: onlyS3, request: passRole('x'), expected: 'implicit-deny'},
    {
      name: 'an action inside the boundary and granted is allowed',
      policies: [allowAll],
      boundary: onlyS3,
      request: {action: 's3:GetObject', resource: 'arn:aws:s3:::b/k'},
      expected: 'allow',
    },
    {
      name: 'the boundary alone grants nothing',
      policies: [v12({Effect: 'Allow', Action: 's3:GetObject', Resource: '*'})],
      boundary: allowAll,
      request: passRole('x'),
      expected: 'implicit-deny',
    },
    {
      name: 'issue 13 item 6: an explicit deny in the boundary is explicit-deny, named in deniedBy',
      policies: [allowAll],
      boundary: boundaryDeniesPassRole,
      request: passRole('x'),
      expected: 'explicit-deny',
      deniedBy: ['boundary'],
    },
    {
      name: 'an explicit deny in the boundary wins over a missing identity allow too',
      policies: [v12({Effect: 'Allow', Action: 's3:*', Resource: '*'})],
      boundary: boundaryDeniesPassRole,
      request: passRole('x'),
      expected: 'explicit-deny',
      deniedBy: ['boundary'],
    },
    {
      name: 'a boundary allow under conditions not known is unknown',
      policies: [allowAll],
      boundary: v12({Effect: 'Allow', Action: '*', Resource: '*', Condition: {StringEquals: {'aws:RequestedRegion': 'us-east-1'}}}),
      request: passRole('x'),
      expected: 'unknown',
    },
    {
      name: 'a boundary allow under conditions that hold',
      policies: [allowAll],
      boundary: v12({Effect: 'Allow', Action: '*', Resource: '*', Condition: {StringEquals: {'aws:RequestedRegion': 'us-east-1'}}}),
      request: passRole('x', {'aws:RequestedRegion': ['us-east-1']}),
      expected: 'allow',
    },
  ]
  checkAccessCases(cases)
})
