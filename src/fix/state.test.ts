import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {canonicalJson, digestOf, holdsAfter, policySize, quoted, sameState} from './state.js'
import type {Change, TargetState} from './types.js'

/** Only `after` matters to holdsAfter; the rest of a change is beside the point here. */
const changeTo = (after: TargetState): Change => ({after}) as Change

describe('canonical JSON', () => {
  it('sorts object keys at every level and keeps array order', () => {
    const value = {c: 1, a: {z: [3, {y: 2, b: 1, m: 0}], d: null, b: 'x'}, b: [2, 1]}
    expect(canonicalJson(value)).toBe('{"a":{"b":"x","d":null,"z":[3,{"b":1,"m":0,"y":2}]},"b":[2,1],"c":1}')
  })

  it('gives the same text for the same value whatever the key order', () => {
    expect(canonicalJson({b: {y: 1, x: 2}, a: 0})).toBe(canonicalJson({a: 0, b: {x: 2, y: 1}}))
  })

  it('leaves out keys whose value is undefined, as JSON does', () => {
    expect(canonicalJson({b: undefined, a: 1})).toBe('{"a":1}')
  })

  it('digests the canonical text with sha256', () => {
    const expected = `sha256:${createHash('sha256').update('{"a":2,"b":1}').digest('hex')}`
    expect(digestOf({b: 1, a: 2})).toBe(expected)
    expect(digestOf({a: 2, b: 1})).toBe(expected)
    expect(digestOf({a: 2, b: 2})).not.toBe(expected)
  })
})

describe('quoted', () => {
  it('escapes DEL, C1 controls, and the bidi and line separators', () => {
    expect(quoted('a\u007fb')).toBe('"a\\u007fb"')
    expect(quoted('\u0080\u009b\u009f')).toBe('"\\u0080\\u009b\\u009f"')
    expect(quoted('\u061c\u200e\u200f')).toBe('"\\u061c\\u200e\\u200f"')
    expect(quoted('\u2028\u2029\u202a\u202e')).toBe('"\\u2028\\u2029\\u202a\\u202e"')
    expect(quoted('\u2066\u2069')).toBe('"\\u2066\\u2069"')
  })

  it('leaves the characters just outside those ranges as they are', () => {
    expect(quoted('~\u00a0\u200d\u2027\u202f\u2065\u206a')).toBe('"~\u00a0\u200d\u2027\u202f\u2065\u206a"')
  })

  it('quotes strings and null as JSON, and names undefined', () => {
    expect(quoted('role/x')).toBe('"role/x"')
    expect(quoted(null)).toBe('null')
    expect(quoted(undefined)).toBe('undefined')
  })
})

describe('sameState', () => {
  it('ignores tag order but not tag values', () => {
    const a: TargetState = {
      kind: 'tags',
      tags: [
        {key: 'b', value: '1'},
        {key: 'a', value: '2'},
        {key: 'c', value: '3'},
      ],
    }
    const b: TargetState = {
      kind: 'tags',
      tags: [
        {key: 'c', value: '3'},
        {key: 'a', value: '2'},
        {key: 'b', value: '1'},
      ],
    }
    expect(sameState(a, b)).toBe(true)
    expect(
      sameState(a, {
        kind: 'tags',
        tags: [
          {key: 'b', value: '1'},
          {key: 'a', value: '2'},
          {key: 'c', value: 'other'},
        ],
      }),
    ).toBe(false)
    expect(
      sameState(a, {
        kind: 'tags',
        tags: [
          {key: 'b', value: '1'},
          {key: 'a', value: '2'},
        ],
      }),
    ).toBe(false)
  })

  it('ignores role order in an instance profile and among service-linked roles', () => {
    expect(sameState({kind: 'instance-profile', exists: true, roles: ['b', 'a']}, {kind: 'instance-profile', exists: true, roles: ['a', 'b']})).toBe(true)
    expect(sameState({kind: 'instance-profile', exists: true, roles: ['a']}, {kind: 'instance-profile', exists: false, roles: ['a']})).toBe(false)
    expect(sameState({kind: 'service-linked-role', roles: ['y', 'x']}, {kind: 'service-linked-role', roles: ['x', 'y']})).toBe(true)
    expect(sameState({kind: 'service-linked-role', roles: ['x']}, {kind: 'service-linked-role', roles: ['x', 'y']})).toBe(false)
  })

  it('compares policy documents by value, not key order', () => {
    const one: TargetState = {kind: 'policy-document', document: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'a:B', Resource: '*'}]}}
    const two: TargetState = {kind: 'policy-document', document: {Statement: [{Resource: '*', Action: 'a:B', Effect: 'Allow'}], Version: '2012-10-17'}}
    expect(sameState(one, two)).toBe(true)
    // Statement order is meaningful to a reader of the diff, so it counts.
    const reordered: TargetState = {
      kind: 'policy-document',
      document: {
        Version: '2012-10-17',
        Statement: [
          {Sid: 'B', Effect: 'Allow', Action: 'a:B', Resource: '*'},
          {Sid: 'A', Effect: 'Allow', Action: 'a:B', Resource: '*'},
        ],
      },
    }
    const ordered: TargetState = {
      kind: 'policy-document',
      document: {
        Version: '2012-10-17',
        Statement: [
          {Sid: 'A', Effect: 'Allow', Action: 'a:B', Resource: '*'},
          {Sid: 'B', Effect: 'Allow', Action: 'a:B', Resource: '*'},
        ],
      },
    }
    expect(sameState(reordered, ordered)).toBe(false)
    expect(sameState(one, {kind: 'policy-document', document: null})).toBe(false)
  })

  it('tells states of different kinds apart', () => {
    expect(sameState({kind: 'tags', tags: []}, {kind: 'service-linked-role', roles: []})).toBe(false)
  })
})

describe('holdsAfter', () => {
  it('counts any role under the service-linked path as the created role, but not none', () => {
    const change = changeTo({kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup']})
    expect(holdsAfter(change, {kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup_emulated']})).toBe(true)
    expect(holdsAfter(change, {kind: 'service-linked-role', roles: []})).toBe(false)
  })

  it('never counts a service-linked role as holding a change that promised another kind of state', () => {
    expect(holdsAfter(changeTo({kind: 'tags', tags: []}), {kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup']})).toBe(false)
    // ...nor a state of another kind as holding a promised service-linked role.
    expect(holdsAfter(changeTo({kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup']}), {kind: 'tags', tags: []})).toBe(false)
  })

  it('otherwise needs the promised state exactly', () => {
    const change = changeTo({kind: 'instance-profile', exists: true, roles: ['r']})
    expect(holdsAfter(change, {kind: 'instance-profile', exists: true, roles: ['r']})).toBe(true)
    expect(holdsAfter(change, {kind: 'instance-profile', exists: true, roles: []})).toBe(false)
  })
})

describe('policySize', () => {
  // IAM leaves white space out when it measures a policy against its size quotas:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  it('counts the JSON text without any whitespace', () => {
    expect(policySize({a: 'b c d'})).toBe('{"a":"bcd"}'.length)
    expect(policySize({Statement: [{Sid: 'x\ty\nz'}]})).toBe('{"Statement":[{"Sid":"x\\ty\\nz"}]}'.length)
  })
})
