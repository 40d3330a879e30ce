/**
 * Condition operators, one table per family, written from AWS's IAM User Guide:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * A key missing from the context the check supplies is `unknown`; `[]` is a key known absent from the request.
 */
import {describe, expect, it} from 'vitest'
import {type ConditionCase, checkConditionCases} from '../../test/fixtures/policy-cases.js'
import {statementsOf} from './document.js'
import {conditionValuesFor} from './conditions.js'

describe('Numeric operators (integers and decimals)', () => {
  const key = 's3:max-keys'
  const cases: ConditionCase[] = [
    {name: 'NumericEquals equal', condition: {NumericEquals: {[key]: '10'}}, context: {[key]: ['10']}, expected: true},
    {name: 'NumericEquals compares numbers, not text', condition: {NumericEquals: {[key]: '1.5'}}, context: {[key]: ['1.50']}, expected: true},
    {name: 'NumericEquals different', condition: {NumericEquals: {[key]: 10}}, context: {[key]: ['11']}, expected: false},
    {name: 'NumericNotEquals different', condition: {NumericNotEquals: {[key]: '10'}}, context: {[key]: ['11']}, expected: true},
    {name: 'NumericNotEquals equal', condition: {NumericNotEquals: {[key]: '10'}}, context: {[key]: ['10']}, expected: false},
    {name: 'NumericLessThan below', condition: {NumericLessThan: {[key]: '10'}}, context: {[key]: ['9']}, expected: true},
    {name: 'NumericLessThan at the bound', condition: {NumericLessThan: {[key]: '10'}}, context: {[key]: ['10']}, expected: false},
    {name: 'NumericLessThanEquals at the bound', condition: {NumericLessThanEquals: {[key]: '10'}}, context: {[key]: ['10']}, expected: true},
    {name: 'NumericGreaterThan above', condition: {NumericGreaterThan: {[key]: '10'}}, context: {[key]: ['11']}, expected: true},
    {name: 'NumericGreaterThan at the bound', condition: {NumericGreaterThan: {[key]: '10'}}, context: {[key]: ['10']}, expected: false},
    {name: 'NumericGreaterThanEquals at the bound', condition: {NumericGreaterThanEquals: {[key]: '10'}}, context: {[key]: ['10']}, expected: true},
    {name: 'values of one key are OR-ed', condition: {NumericEquals: {[key]: ['5', '10']}}, context: {[key]: ['10']}, expected: true},
    {name: 'a malformed policy value never matches', condition: {NumericEquals: {[key]: 'ten'}}, context: {[key]: ['10']}, expected: false},
    {
      name: 'a malformed policy value never matches a negated operator either',
      condition: {NumericNotEquals: {[key]: 'ten'}},
      context: {[key]: ['10']},
      expected: false,
    },
    {name: 'a malformed request value never matches', condition: {NumericLessThan: {[key]: '10'}}, context: {[key]: ['a lot']}, expected: false},
    {
      name: 'a malformed request value never matches a negated operator either',
      condition: {NumericNotEquals: {[key]: '10'}},
      context: {[key]: ['a lot']},
      expected: false,
    },
    {name: 'IfExists holds on an absent key', condition: {NumericLessThanIfExists: {[key]: '10'}}, context: {[key]: []}, expected: true},
    {name: 'IfExists still compares a present key', condition: {NumericLessThanIfExists: {[key]: '10'}}, context: {[key]: ['12']}, expected: false},
    {name: 'absent key fails a positive operator', condition: {NumericLessThan: {[key]: '10'}}, context: {[key]: []}, expected: false},
    {name: 'a key the check did not supply is unknown', condition: {NumericLessThan: {[key]: '10'}}, context: {}, expected: 'unknown'},
    {name: 'ForAnyValue: one request value in range', condition: {'ForAnyValue:NumericLessThan': {[key]: '10'}}, context: {[key]: ['20', '5']}, expected: true},
    {
      name: 'ForAllValues: one request value out of range',
      condition: {'ForAllValues:NumericLessThan': {[key]: '10'}},
      context: {[key]: ['20', '5']},
      expected: false,
    },
  ]
  checkConditionCases(cases)
})

describe('Date operators (W3C ISO 8601 and epoch seconds)', () => {
  const key = 'aws:CurrentTime'
  const cases: ConditionCase[] = [
    {name: 'DateGreaterThan later', condition: {DateGreaterThan: {[key]: '2020-01-01T00:00:00Z'}}, context: {[key]: ['2021-06-01T12:00:00Z']}, expected: true},
    {
      name: 'DateGreaterThan earlier',
      condition: {DateGreaterThan: {[key]: '2020-01-01T00:00:00Z'}},
      context: {[key]: ['2019-12-31T23:59:59Z']},
      expected: false,
    },
    {name: 'DateLessThan earlier', condition: {DateLessThan: {[key]: '2020-01-01T00:00:00Z'}}, context: {[key]: ['2019-12-31T23:59:59Z']}, expected: true},
    {
      name: 'DateLessThanEquals at the bound',
      condition: {DateLessThanEquals: {[key]: '2020-01-01T00:00:00Z'}},
      context: {[key]: ['2020-01-01T00:00:00Z']},
      expected: true,
    },
    {
      name: 'DateGreaterThanEquals at the bound',
      condition: {DateGreaterThanEquals: {[key]: '2020-01-01T00:00:00Z'}},
      context: {[key]: ['2020-01-01T00:00:00Z']},
      expected: true,
    },
    {
      name: 'epoch seconds compare with ISO 8601',
      condition: {DateEquals: {'aws:EpochTime': '2021-01-01T00:00:00Z'}},
      context: {'aws:EpochTime': ['1609459200']},
      expected: true,
    },
    {name: 'epoch seconds in the policy', condition: {DateLessThan: {[key]: '1609459200'}}, context: {[key]: ['2020-12-31T23:00:00Z']}, expected: true},
    {
      name: 'zone offsets are honoured',
      condition: {DateEquals: {[key]: '2020-01-01T01:00:00+01:00'}},
      context: {[key]: ['2020-01-01T00:00:00Z']},
      expected: true,
    },
    {name: 'a date alone is midnight UTC', condition: {DateEquals: {[key]: '2020-01-01'}}, context: {[key]: ['2020-01-01T00:00:00Z']}, expected: true},
    {name: 'a year alone is its first instant', condition: {DateEquals: {[key]: '2020'}}, context: {[key]: ['2020-01-01T00:00:00Z']}, expected: true},
    {name: 'a year and month alone', condition: {DateEquals: {[key]: '2020-06'}}, context: {[key]: ['2020-06-01T00:00:00Z']}, expected: true},
    {
      name: 'DateGreaterThan at the bound',
      condition: {DateGreaterThan: {[key]: '2020-01-01T00:00:00Z'}},
      context: {[key]: ['2020-01-01T00:00:00Z']},
      expected: false,
    },
    {
      name: 'DateGreaterThanEquals before the bound',
      condition: {DateGreaterThanEquals: {[key]: '2020-01-01T00:00:00Z'}},
      context: {[key]: ['2019-12-31T23:59:59Z']},
      expected: false,
    },
    {
      name: 'fractions of a second',
      condition: {DateLessThan: {[key]: '2020-01-01T00:00:00.500Z'}},
      context: {[key]: ['2020-01-01T00:00:00.250Z']},
      expected: true,
    },
    {name: 'DateNotEquals different', condition: {DateNotEquals: {[key]: '2020-01-01T00:00:00Z'}}, context: {[key]: ['2020-01-02T00:00:00Z']}, expected: true},
    {
      name: 'a malformed policy date never matches',
      condition: {DateLessThan: {[key]: 'tomorrow'}},
      context: {[key]: ['2020-01-01T00:00:00Z']},
      expected: false,
    },
    {
      name: 'a date that does not exist is malformed',
      condition: {DateLessThan: {[key]: '2024-02-30T00:00:00Z'}},
      context: {[key]: ['2020-01-01T00:00:00Z']},
      expected: false,
    },
    {
      name: 'a malformed date never matches a negated operator',
      condition: {DateNotEquals: {[key]: 'tomorrow'}},
      context: {[key]: ['2020-01-01T00:00:00Z']},
      expected: false,
    },
    {
      name: 'DateLessThanIfExists holds on an absent key',
      condition: {DateLessThanIfExists: {'aws:MultiFactorAuthAge': '2020-01-01'}},
      context: {'aws:MultiFactorAuthAge': []},
      expected: true,
    },
    {name: 'a key the check did not supply is unknown', condition: {DateLessThan: {[key]: '2020-01-01'}}, context: {}, expected: 'unknown'},
  ]
  checkConditionCases(cases)
})

describe('IpAddress / NotIpAddress (IPv4 and IPv6 CIDR, single addresses)', () => {
  const key = 'aws:SourceIp'
  const cases: ConditionCase[] = [
    {name: 'IPv4 inside a CIDR', condition: {IpAddress: {[key]: '203.0.113.0/24'}}, context: {[key]: ['203.0.113.7']}, expected: true},
    {name: 'IPv4 outside a CIDR', condition: {IpAddress: {[key]: '203.0.113.0/24'}}, context: {[key]: ['198.51.100.1']}, expected: false},
    {name: 'a single address is a /32', condition: {IpAddress: {[key]: '203.0.113.7'}}, context: {[key]: ['203.0.113.7']}, expected: true},
    {name: 'a single address does not cover its neighbour', condition: {IpAddress: {[key]: '203.0.113.7'}}, context: {[key]: ['203.0.113.8']}, expected: false},
    {
      name: "IPv6 inside a CIDR (the guide's 2001:DB8:1234:5678::/64)",
      condition: {IpAddress: {[key]: '2001:DB8:1234:5678::/64'}},
      context: {[key]: ['2001:db8:1234:5678::1']},
      expected: true,
    },
    {name: 'IPv6 outside a CIDR', condition: {IpAddress: {[key]: '2001:DB8:1234:5678::/64'}}, context: {[key]: ['2001:db8:1234:5679::1']}, expected: false},
    {name: 'an IPv4 request against an IPv6 range', condition: {IpAddress: {[key]: '2001:DB8::/32'}}, context: {[key]: ['203.0.113.7']}, expected: false},
    {name: 'a list of ranges is OR-ed', condition: {IpAddress: {[key]: ['192.0.2.0/24', '203.0.113.0/24']}}, context: {[key]: ['203.0.113.7']}, expected: true},
    {name: 'NotIpAddress outside', condition: {NotIpAddress: {[key]: '203.0.113.0/24'}}, context: {[key]: ['198.51.100.1']}, expected: true},
    {name: 'NotIpAddress inside', condition: {NotIpAddress: {[key]: '203.0.113.0/24'}}, context: {[key]: ['203.0.113.7']}, expected: false},
    {name: 'NotIpAddress holds on an absent key', condition: {NotIpAddress: {[key]: '203.0.113.0/24'}}, context: {[key]: []}, expected: true},
    {name: '::/0 is every IPv6 address', condition: {IpAddress: {[key]: '::/0'}}, context: {[key]: ['2001:db8::1']}, expected: true},
    {
      name: 'a request value that is not an address never matches NotIpAddress either',
      condition: {NotIpAddress: {[key]: '203.0.113.0/24'}},
      context: {[key]: ['vpce-1a2b3c4d']},
      expected: false,
    },
    {name: 'a malformed range never matches', condition: {IpAddress: {[key]: '203.0.113.0/33'}}, context: {[key]: ['203.0.113.7']}, expected: false},
    {
      name: 'a malformed range never matches NotIpAddress either',
      condition: {NotIpAddress: {[key]: 'not-an-ip'}},
      context: {[key]: ['203.0.113.7']},
      expected: false,
    },
    {
      name: 'a request value that is not an address never matches',
      condition: {IpAddress: {[key]: '0.0.0.0/0'}},
      context: {[key]: ['vpce-1a2b3c4d']},
      expected: false,
    },
    {name: 'IpAddressIfExists holds on an absent key', condition: {IpAddressIfExists: {[key]: '203.0.113.0/24'}}, context: {[key]: []}, expected: true},
    {name: 'a key the check did not supply is unknown', condition: {IpAddress: {[key]: '203.0.113.0/24'}}, context: {}, expected: 'unknown'},
  ]
  checkConditionCases(cases)
})

describe('BinaryEquals (base64)', () => {
  const key = 'key'
  const cases: ConditionCase[] = [
    {
      name: 'equal bytes',
      condition: {BinaryEquals: {[key]: 'QmluYXJ5VmFsdWVJbkJhc2U2NA=='}},
      context: {[key]: ['QmluYXJ5VmFsdWVJbkJhc2U2NA==']},
      expected: true,
    },
    {name: 'different bytes', condition: {BinaryEquals: {[key]: 'QmluYXJ5VmFsdWVJbkJhc2U2NA=='}}, context: {[key]: ['b3RoZXI=']}, expected: false},
    {name: 'malformed base64 never matches', condition: {BinaryEquals: {[key]: '!!!'}}, context: {[key]: ['!!!']}, expected: false},
    {name: 'BinaryEqualsIfExists holds on an absent key', condition: {BinaryEqualsIfExists: {[key]: 'b3RoZXI='}}, context: {[key]: []}, expected: true},
  ]
  checkConditionCases(cases)
})

describe('ARN operators: ArnEquals behaves like ArnLike, wildcards within each of the six fields', () => {
  const key = 'aws:SourceArn'
  const cluster = 'arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-1'
  const cases: ConditionCase[] = [
    {
      name: 'ArnEquals with wildcards',
      condition: {ArnEquals: {[key]: 'arn:aws:elasticmapreduce:*:123456789012:cluster/*'}},
      context: {[key]: [cluster]},
      expected: true,
    },
    {name: 'ArnEquals exact', condition: {ArnEquals: {[key]: cluster}}, context: {[key]: [cluster]}, expected: true},
    {
      name: 'ArnLike with `?`',
      condition: {ArnLike: {[key]: 'arn:aws:elasticmapreduce:us-east-?:123456789012:cluster/j-1'}},
      context: {[key]: [cluster]},
      expected: true,
    },
    {
      name: 'a `*` in the region field does not reach into the account field',
      condition: {ArnLike: {[key]: 'arn:aws:sns:*:123456789012:topic'}},
      context: {[key]: ['arn:aws:sns:us-east-1:999999999999:123456789012:topic']},
      expected: false,
    },
    {
      name: 'the resource field may hold colons',
      condition: {ArnLike: {[key]: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/emr/*'}},
      context: {[key]: ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/emr/x:log-stream:y']},
      expected: true,
    },
    {
      name: 'ARN fields are case-sensitive',
      condition: {ArnLike: {[key]: 'arn:aws:elasticmapreduce:*:123456789012:Cluster/*'}},
      context: {[key]: [cluster]},
      expected: false,
    },
    {
      name: 'ArnNotEquals with wildcards',
      condition: {ArnNotEquals: {[key]: 'arn:aws:elasticmapreduce:*:123456789012:cluster/*'}},
      context: {[key]: [cluster]},
      expected: false,
    },
    {
      name: 'ArnNotLike another account',
      condition: {ArnNotLike: {[key]: 'arn:aws:elasticmapreduce:*:111122223333:*'}},
      context: {[key]: [cluster]},
      expected: true,
    },
    {
      name: 'a request value that is not an ARN does not match',
      condition: {ArnLike: {[key]: 'arn:aws:elasticmapreduce:*:123456789012:*'}},
      context: {[key]: ['j-1']},
      expected: false,
    },
    {name: 'ArnNotLike holds on an absent key', condition: {ArnNotLike: {[key]: 'arn:aws:elasticmapreduce:*:1:*'}}, context: {[key]: []}, expected: true},
  ]
  checkConditionCases(cases)
})

describe('String, Bool and Null operators', () => {
  const cases: ConditionCase[] = [
    {
      name: 'StringEquals is case-sensitive',
      condition: {StringEquals: {'aws:PrincipalTag/team': 'Red'}},
      context: {'aws:PrincipalTag/team': ['red']},
      expected: false,
    },
    {
      name: 'StringEqualsIgnoreCase',
      condition: {StringEqualsIgnoreCase: {'aws:PrincipalTag/team': 'Red'}},
      context: {'aws:PrincipalTag/team': ['red']},
      expected: true,
    },
    {
      name: 'StringNotEqualsIgnoreCase',
      condition: {StringNotEqualsIgnoreCase: {'aws:PrincipalTag/team': 'Red'}},
      context: {'aws:PrincipalTag/team': ['RED']},
      expected: false,
    },
    {name: 'StringLike `*` crosses `/`', condition: {StringLike: {'s3:prefix': 'home/*'}}, context: {'s3:prefix': ['home/a/b']}, expected: true},
    {name: 'StringNotLike', condition: {StringNotLike: {'s3:prefix': 'home/*'}}, context: {'s3:prefix': ['tmp/a']}, expected: true},
    {name: 'StringEquals treats `*` literally', condition: {StringEquals: {'s3:prefix': 'home/*'}}, context: {'s3:prefix': ['home/a']}, expected: false},
    {name: 'Bool true', condition: {Bool: {'aws:SecureTransport': 'true'}}, context: {'aws:SecureTransport': ['true']}, expected: true},
    {name: 'Bool written as a JSON boolean', condition: {Bool: {'aws:SecureTransport': false}}, context: {'aws:SecureTransport': ['false']}, expected: true},
    {name: 'Bool mismatch', condition: {Bool: {'aws:SecureTransport': 'true'}}, context: {'aws:SecureTransport': ['false']}, expected: false},
    {
      name: 'BoolIfExists holds on an absent key',
      condition: {BoolIfExists: {'aws:MultiFactorAuthPresent': 'true'}},
      context: {'aws:MultiFactorAuthPresent': []},
      expected: true,
    },
    {name: 'Null true on an absent key', condition: {Null: {'aws:TokenIssueTime': 'true'}}, context: {'aws:TokenIssueTime': []}, expected: true},
    {
      name: 'Null true on a present key',
      condition: {Null: {'aws:TokenIssueTime': 'true'}},
      context: {'aws:TokenIssueTime': ['2020-01-01T00:00:00Z']},
      expected: false,
    },
    {name: 'Null on a key the check did not supply is unknown', condition: {Null: {'aws:TokenIssueTime': 'true'}}, context: {}, expected: 'unknown'},
    {
      name: 'Null false on a present key',
      condition: {Null: {'aws:TokenIssueTime': 'false'}},
      context: {'aws:TokenIssueTime': ['2020-01-01T00:00:00Z']},
      expected: true,
    },
    {name: 'Null false on an absent key', condition: {Null: {'aws:TokenIssueTime': 'false'}}, context: {'aws:TokenIssueTime': []}, expected: false},
    // The values of one key are OR-ed: "absent or present" holds either way
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html).
    {
      name: 'Null true or false on a present key',
      condition: {Null: {'aws:TokenIssueTime': ['true', 'false']}},
      context: {'aws:TokenIssueTime': ['2020-01-01T00:00:00Z']},
      expected: true,
    },
    {
      name: 'Null true or false on an absent key',
      condition: {Null: {'aws:TokenIssueTime': ['false', 'true']}},
      context: {'aws:TokenIssueTime': []},
      expected: true,
    },
    {
      name: 'operator names are case-insensitive',
      condition: {stringequals: {'aws:PrincipalTag/team': 'red'}},
      context: {'aws:PrincipalTag/team': ['red']},
      expected: true,
    },
  ]
  checkConditionCases(cases)
})

describe('ForAnyValue / ForAllValues', () => {
  const key = 'aws:TagKeys'
  const cases: ConditionCase[] = [
    // "For no matching context key or a null dataset, the condition returns false" (ForAnyValue).
    {
      name: 'ForAnyValue:StringEquals over an absent key is false',
      condition: {'ForAnyValue:StringEquals': {[key]: ['a']}},
      context: {[key]: []},
      expected: false,
    },
    {
      name: 'ForAnyValue:StringNotEquals over an absent key is false too',
      condition: {'ForAnyValue:StringNotEquals': {[key]: ['a']}},
      context: {[key]: []},
      expected: false,
    },
    {
      name: 'ForAnyValue:StringNotLike over an absent key is false',
      condition: {'ForAnyValue:StringNotLike': {[key]: ['a*']}},
      context: {[key]: []},
      expected: false,
    },
    // "ForAllValues ... also returns true if there are no context keys in the request".
    {
      name: 'ForAllValues:StringEquals over an absent key is true',
      condition: {'ForAllValues:StringEquals': {[key]: ['a']}},
      context: {[key]: []},
      expected: true,
    },
    {
      name: 'ForAllValues:StringNotEquals over an absent key is true',
      condition: {'ForAllValues:StringNotEquals': {[key]: ['a']}},
      context: {[key]: []},
      expected: true,
    },
    {name: 'ForAnyValue: one request value matches', condition: {'ForAnyValue:StringEquals': {[key]: ['a']}}, context: {[key]: ['z', 'a']}, expected: true},
    {
      name: 'ForAnyValue:StringNotEquals: one request value outside the list',
      condition: {'ForAnyValue:StringNotEquals': {[key]: ['a', 'b']}},
      context: {[key]: ['a', 'c']},
      expected: true,
    },
    {
      name: 'ForAnyValue:StringNotEquals: every request value in the list',
      condition: {'ForAnyValue:StringNotEquals': {[key]: ['a', 'b']}},
      context: {[key]: ['a', 'b']},
      expected: false,
    },
    {
      name: 'ForAllValues: every request value in the list',
      condition: {'ForAllValues:StringEquals': {[key]: ['a', 'b']}},
      context: {[key]: ['b', 'a']},
      expected: true,
    },
    {
      name: 'ForAllValues: one request value outside the list',
      condition: {'ForAllValues:StringEquals': {[key]: ['a', 'b']}},
      context: {[key]: ['a', 'c']},
      expected: false,
    },
    {
      name: 'ForAllValues:StringNotEquals: one request value in the list',
      condition: {'ForAllValues:StringNotEquals': {[key]: ['a']}},
      context: {[key]: ['a', 'c']},
      expected: false,
    },
    {name: 'ForAnyValue:StringLike', condition: {'ForAnyValue:StringLike': {[key]: ['env*']}}, context: {[key]: ['owner', 'environment']}, expected: true},
    {
      name: 'a set operator on a key the check did not supply is unknown',
      condition: {'ForAllValues:StringEquals': {[key]: ['a']}},
      context: {},
      expected: 'unknown',
    },
  ]
  checkConditionCases(cases)
})

describe('operator and variable names are policy text', () => {
  const cases: ConditionCase[] = [
    {name: 'an operator named constructor is unknown, not Object', condition: {constructor: {k: 'a'}}, context: {k: ['a']}, expected: 'unknown'},
    {name: 'an operator named __proto__ is unknown', condition: {['__proto__']: {k: 'a'}}, context: {k: ['a']}, expected: 'unknown'},
    {
      name: 'a variable named constructor is not resolved from Object.prototype',
      condition: {StringEquals: {k: '${constructor}'}},
      context: {k: ['a']},
      expected: 'unknown',
    },
    // docs/policy-conformance.md: an operator IAM does not define is unknown, whether the key is present or absent.
    {name: 'an operator IAM does not define is unknown on an absent key too', condition: {StringNotFoo: {k: 'a'}}, context: {k: []}, expected: 'unknown'},
    {
      name: 'a set qualifier on an undefined operator is unknown on an absent key',
      condition: {'ForAnyValue:Constructor': {k: 'a'}},
      context: {k: []},
      expected: 'unknown',
    },
    {
      name: 'control characters in values compare as themselves',
      condition: {StringLike: {k: '\u001b[31m*\r\n'}},
      context: {k: ['\u001b[31mred\r\n']},
      expected: true,
    },
  ]
  checkConditionCases(cases)
})

// Edges of the same operators, from the same page: dates carry their time zone; a CIDR is an address and a
// prefix length (0 to 32 for IPv4: 0.0.0.0/0 is every address), anything else never matches; bounds of the
// -Equals variants are inclusive, the others exclusive; BinaryEquals compares base-64 values.
describe('Operator edges: time zones, bounds, CIDR and base-64 forms', () => {
  const time = 'aws:CurrentTime'
  const ip = 'aws:SourceIp'
  const max = 's3:max-keys'
  const cases: ConditionCase[] = [
    {
      name: 'a date with a positive offset is the same instant in UTC',
      condition: {DateEquals: {[time]: '2026-01-01T02:00:00+02:00'}},
      context: {[time]: ['2026-01-01T00:00:00Z']},
      expected: true,
    },
    {
      name: 'a negative offset with minutes',
      condition: {DateEquals: {[time]: '2026-01-01T00:00:00-05:30'}},
      context: {[time]: ['2026-01-01T05:30:00Z']},
      expected: true,
    },
    // Late in the day west of UTC, the UTC date is the next day: the date as written still exists.
    {
      name: 'a negative offset late in the day',
      condition: {DateEquals: {[time]: '2026-01-31T23:00:00-05:00'}},
      context: {[time]: ['2026-02-01T04:00:00Z']},
      expected: true,
    },
    {
      name: 'a negative offset with minutes late in the day',
      condition: {DateEquals: {[time]: '2026-01-31T23:45:00-05:30'}},
      context: {[time]: ['2026-02-01T05:15:00Z']},
      expected: true,
    },
    {
      name: 'a positive offset early in the day',
      condition: {DateEquals: {[time]: '2026-03-01T01:00:00+02:00'}},
      context: {[time]: ['2026-02-28T23:00:00Z']},
      expected: true,
    },
    {
      name: 'an offset is not ignored',
      condition: {DateEquals: {[time]: '2026-01-01T00:00:00+01:00'}},
      context: {[time]: ['2026-01-01T00:00:00Z']},
      expected: false,
    },
    {
      name: 'DateLessThan at the bound',
      condition: {DateLessThan: {[time]: '2026-01-01T00:00:00Z'}},
      context: {[time]: ['2026-01-01T00:00:00Z']},
      expected: false,
    },
    {
      name: 'DateLessThanEquals after the bound',
      condition: {DateLessThanEquals: {[time]: '2026-01-01T00:00:00Z'}},
      context: {[time]: ['2026-01-01T00:00:01Z']},
      expected: false,
    },
    {name: 'NumericLessThanEquals above the bound', condition: {NumericLessThanEquals: {[max]: '10'}}, context: {[max]: ['11']}, expected: false},
    {name: 'NumericGreaterThanEquals below the bound', condition: {NumericGreaterThanEquals: {[max]: '10'}}, context: {[max]: ['9']}, expected: false},
    {name: '0.0.0.0/0 is every IPv4 address', condition: {IpAddress: {[ip]: '0.0.0.0/0'}}, context: {[ip]: ['203.0.113.9']}, expected: true},
    {name: 'a CIDR with a second prefix never matches', condition: {IpAddress: {[ip]: '10.0.0.0/8/16'}}, context: {[ip]: ['10.1.2.3']}, expected: false},
    {name: 'a prefix with a letter before it never matches', condition: {IpAddress: {[ip]: '10.0.0.0/a8'}}, context: {[ip]: ['10.1.2.3']}, expected: false},
    {name: 'a prefix with a letter after it never matches', condition: {IpAddress: {[ip]: '10.0.0.0/8a'}}, context: {[ip]: ['10.1.2.3']}, expected: false},
    {
      name: 'a request value that is not an address never matches',
      condition: {IpAddress: {[ip]: '10.0.0.0/8'}},
      context: {[ip]: ['vpce-1a2b3c']},
      expected: false,
    },
    {
      name: 'BinaryEquals: a request value that is not base-64 never matches',
      condition: {BinaryEquals: {'aws:RequestTag/blob': 'QUJD'}},
      context: {'aws:RequestTag/blob': ['QUJD!']},
      expected: false,
    },
  ]
  checkConditionCases(cases)
})

describe('conditionValuesFor', () => {
  const [statement] = statementsOf({
    Version: '2012-10-17',
    Statement: {
      Effect: 'Deny',
      Principal: {Service: 'elasticmapreduce.amazonaws.com'},
      Action: 'sts:AssumeRole',
      Condition: {
        stringnotequals: {'AWS:SourceAccount': '123456789012'},
        StringNotLike: {'aws:SourceAccount': ['1234*'], 'aws:SourceArn': 'arn:aws:elasticmapreduce:*:123456789012:*'},
        StringEquals: {'aws:SourceAccount': '999999999999'},
      },
    },
  })

  // Operator and key names are case-insensitive (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
  it('the values of one key under the operators asked for, whatever their case', () => {
    expect(conditionValuesFor(statement!.condition, ['StringNotEquals', 'StringNotLike'], 'aws:sourceaccount')).toEqual(['123456789012', '1234*'])
    expect(conditionValuesFor(statement!.condition, ['StringNotLike'], 'aws:SourceArn')).toEqual(['arn:aws:elasticmapreduce:*:123456789012:*'])
    expect(conditionValuesFor(statement!.condition, ['ArnNotLike'], 'aws:SourceArn')).toEqual([])
  })
})
