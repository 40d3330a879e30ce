/**
 * Which string operators ignore case, asked as a user's question would be ("may this role pass that role?")
 * so the answers stay pinned however the evaluator is organised inside. From AWS's IAM User Guide:
 * - StringEqualsIgnoreCase / StringNotEqualsIgnoreCase "ignore case"; StringEquals, StringLike and their
 *   negations are case-sensitive.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
 * - An explicit Deny overrides any Allow; without an Allow the request is implicitly denied.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import {describe} from 'vitest'
import {type AccessCase, type ConditionCase, checkAccessCases, checkConditionCases} from '../../test/fixtures/policy-cases.js'
import type {PolicyDocument} from '../inventory/schema.js'

const TAG = 'aws:PrincipalTag/team'
const PASSED_TO = 'iam:PassedToService'

describe('StringEqualsIgnoreCase and StringNotEqualsIgnoreCase ignore case in either direction', () => {
  const cases: ConditionCase[] = [
    {name: 'policy upper case, request lower case', condition: {StringEqualsIgnoreCase: {[TAG]: 'DATA-ENG'}}, context: {[TAG]: ['data-eng']}, expected: true},
    {name: 'policy lower case, request mixed case', condition: {StringEqualsIgnoreCase: {[TAG]: 'data-eng'}}, context: {[TAG]: ['Data-Eng']}, expected: true},
    {name: 'ignoring case is not ignoring content', condition: {StringEqualsIgnoreCase: {[TAG]: 'data-eng'}}, context: {[TAG]: ['data-ops']}, expected: false},
    {
      name: 'the negation fails on a value equal but for case',
      condition: {StringNotEqualsIgnoreCase: {[TAG]: 'data-eng'}},
      context: {[TAG]: ['DATA-ENG']},
      expected: false,
    },
    {
      name: 'the negation holds on a different value',
      condition: {StringNotEqualsIgnoreCase: {[TAG]: 'data-eng'}},
      context: {[TAG]: ['DATA-OPS']},
      expected: true,
    },
  ]
  checkConditionCases(cases)
})

describe('StringEquals and StringLike are case-sensitive', () => {
  const cases: ConditionCase[] = [
    {
      name: 'StringEquals: a value differing only in case does not match',
      condition: {StringEquals: {[TAG]: 'data-eng'}},
      context: {[TAG]: ['Data-Eng']},
      expected: false,
    },
    {
      name: 'StringLike: a literal differing only in case does not match',
      condition: {StringLike: {[PASSED_TO]: 'ec2.amazonaws.com'}},
      context: {[PASSED_TO]: ['EC2.amazonaws.com']},
      expected: false,
    },
    {
      name: 'StringLike: the text around a wildcard keeps its case',
      condition: {StringLike: {[PASSED_TO]: 'EC2.*'}},
      context: {[PASSED_TO]: ['ec2.amazonaws.com']},
      expected: false,
    },
    {
      name: 'StringLike: the same text and case matches',
      condition: {StringLike: {[PASSED_TO]: 'ec2.*'}},
      context: {[PASSED_TO]: ['ec2.amazonaws.com']},
      expected: true,
    },
    {
      name: 'StringNotLike: a value differing only in case is "not like"',
      condition: {StringNotLike: {[PASSED_TO]: 'ec2.amazonaws.com'}},
      context: {[PASSED_TO]: ['EC2.amazonaws.com']},
      expected: true,
    },
  ]
  checkConditionCases(cases)
})

describe('case decides whether a PassRole grant or deny applies', () => {
  const target = 'arn:aws:iam::123456789012:role/etl-ec2'
  const passRole = (tag: string) => ({action: 'iam:PassRole', resource: target, context: {[PASSED_TO]: ['ec2.amazonaws.com'], [TAG]: [tag]}})
  const policy = (...statements: object[]): PolicyDocument => ({Version: '2012-10-17', Statement: statements})
  const allowPass = (condition: object) => policy({Effect: 'Allow', Action: 'iam:PassRole', Resource: target, Condition: condition})
  const denyPass = (condition: object) => ({Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: condition})
  const cases: AccessCase[] = [
    {
      name: 'an allow scoped with StringEqualsIgnoreCase applies to a tag in another case',
      policies: [allowPass({StringEqualsIgnoreCase: {[TAG]: 'Data-Eng'}})],
      request: passRole('data-eng'),
      expected: 'allow',
    },
    {
      name: 'a deny scoped with StringEqualsIgnoreCase overrides the allow for a tag in another case',
      policies: [policy({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'}, denyPass({StringEqualsIgnoreCase: {[TAG]: 'CONTRACTORS'}}))],
      request: passRole('contractors'),
      expected: 'explicit-deny',
      deniedBy: ['p0'],
    },
    {
      name: 'an allow scoped with StringLike does not apply to a service named in another case',
      policies: [allowPass({StringLike: {[PASSED_TO]: 'EC2.amazonaws.com'}})],
      request: passRole('data-eng'),
      expected: 'implicit-deny',
    },
    {
      name: 'a deny scoped with StringLike does not apply to a tag in another case',
      policies: [policy({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'}, denyPass({StringLike: {[TAG]: 'Contract*'}}))],
      request: passRole('contractors'),
      expected: 'allow',
    },
  ]
  checkAccessCases(cases)
})
