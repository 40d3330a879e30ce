/**
 * IAM globs: `*` matches any run of characters (crossing `/` and `:`), `?` exactly one; action names
 * compare case-insensitively, ARNs and StringLike values case-sensitively.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html (wildcards in resource ARNs)
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {compileGlob, compileGlobParts, globParts, type StepCounter} from './glob.js'

/** An independent oracle: the textbook dynamic programme over (pattern prefix, value prefix). */
function oracle(pattern: string, value: string): boolean {
  let row = Array.from({length: value.length + 1}, (_, index) => index === 0)
  for (const char of pattern) {
    const next = [char === '*' && row[0]!]
    for (let index = 1; index <= value.length; index++) {
      next[index] = char === '*' ? row[index]! || next[index - 1]! : (char === '?' || char === value[index - 1]) && row[index - 1]!
    }
    row = next
  }
  return row[value.length]!
}

describe('linear-time glob matcher', () => {
  it.each([
    ['arn:aws:iam::1:role/*', 'arn:aws:iam::1:role/a/b', true],
    ['arn:aws:iam::*:role/x', 'arn:aws:iam::1:2:role/x', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a*a', 'a', false],
    ['*ab*ab*', 'xabyab', true],
    ['*ab*ab*', 'xaby', false],
    ['*a?a*', 'bbaxa', true],
    ['role/EMR_*', 'role/emr_x', false],
  ])('%s against %s: %s', (pattern, value, expected) => {
    expect(compileGlob(pattern, false).test(value)).toBe(expected)
    expect(oracle(pattern, value)).toBe(expected)
  })

  it('agrees with the dynamic-programming oracle on random patterns over a small alphabet', () => {
    const text = (alphabet: string[]) => fc.array(fc.constantFrom(...alphabet), {maxLength: 14}).map((chars) => chars.join(''))
    fc.assert(
      fc.property(text(['a', 'b', '*', '?', '/']), text(['a', 'b', '/']), (pattern, value) => {
        expect(compileGlob(pattern, false).test(value)).toBe(oracle(pattern, value))
      }),
      {numRuns: 3000},
    )
  })

  // A segment between two stars is searched for (Knuth–Morris–Pratt, or Shift-And with `?`): segments that
  // overlap themselves are where a search that restarts wrongly misses an occurrence.
  it.each([
    ['*aab*', 'aaab', true],
    ['*abab*', 'abaabab', true],
    ['*aabaab*', 'aabaaabaab', true],
    ['*abcabd*', 'abcabcabd', true],
    ['*aaab*', 'aabaab', false],
    ['*a?ab*', 'aaaab', true],
    ['*a?ab*', 'abaaa', false],
  ])('a segment between stars: %s against %s: %s', (pattern, value, expected) => {
    expect(compileGlob(pattern, false).test(value)).toBe(expected)
    expect(oracle(pattern, value)).toBe(expected)
  })

  it('agrees with the oracle on segments between stars that overlap themselves', () => {
    const text = (alphabet: string[], minLength: number, maxLength: number) =>
      fc.array(fc.constantFrom(...alphabet), {minLength, maxLength}).map((chars) => chars.join(''))
    fc.assert(
      fc.property(text(['a', 'b'], 2, 8), text(['a', 'b', '?'], 2, 6), text(['a', 'b'], 0, 24), (literal, wild, value) => {
        for (const pattern of [`*${literal}*`, `*${wild}*`, `a*${literal}*${wild}*b`]) {
          expect(compileGlob(pattern, false).test(value)).toBe(oracle(pattern, value))
        }
      }),
      {numRuns: 2000},
    )
  })

  it('finds segments longer than one 32-bit word with `?` inside (Shift-And across words)', () => {
    const segment = `${'a'.repeat(40)}?${'b'.repeat(30)}`
    const value = `x${'a'.repeat(45)}Z${'b'.repeat(30)}y`
    expect(compileGlob(`x*${segment}*y`, false).test(value)).toBe(oracle(`x*${segment}*y`, value))
    expect(compileGlob(`x*${segment}*y`, false).test(value)).toBe(true)
    expect(compileGlob(`x*${segment}c*y`, false).test(value)).toBe(false)
  })

  it('actions compare case-insensitively, ARNs case-sensitively', () => {
    expect(compileGlob('IAM:pass*', true).test('iam:PassRole')).toBe(true)
    expect(compileGlob('arn:aws:s3:::B/*', false).test('arn:aws:s3:::b/x')).toBe(false)
  })

  it('a pattern compiled case-sensitively and case-insensitively is two matchers', () => {
    // Asked in both orders, with patterns whose first letter could blur the two in a shared cache.
    expect(compileGlob('s3:Get*', true).test('S3:GETOBJECT')).toBe(true)
    expect(compileGlob('3:Get*', false).test('3:GetObject')).toBe(true)
    expect(compileGlob('iRole*', false).test('irole-a')).toBe(false)
    expect(compileGlob('Role*', true).test('role-a')).toBe(true)
  })

  it('globParts: `*` and `?` as written are wildcards, the text between them one part', () => {
    expect(globParts('arn:aws:s3:::b/*?x')).toEqual([{kind: 'text', text: 'arn:aws:s3:::b/'}, {kind: 'star'}, {kind: 'one'}, {kind: 'text', text: 'x'}])
    expect(globParts('*')).toEqual([{kind: 'star'}])
    expect(globParts('')).toEqual([])
  })

  it('literal `*` and `?` from escapes are not wildcards', () => {
    const matcher = compileGlobParts([{kind: 'text', text: 'a*b?'}, {kind: 'star'}], false)
    expect(matcher.test('a*b?zz')).toBe(true)
    expect(matcher.test('axbyzz')).toBe(false)
  })

  it('decides 10,000 stars and a final literal against a 10,000-character value in linear steps', () => {
    const pattern = `${'*'.repeat(10_000)}!`
    const value = 'a'.repeat(10_000)
    const counter: StepCounter = {steps: 0}
    const matcher = compileGlobParts(
      [...pattern].map((char) => (char === '*' ? {kind: 'star' as const} : {kind: 'text' as const, text: char})),
      false,
      counter,
    )
    expect(matcher.test(value, counter)).toBe(false)
    expect(matcher.test(`${value}!`, counter)).toBe(true)
    expect(counter.steps).toBeLessThanOrEqual(4 * (pattern.length + value.length))
  })

  it('alternating stars and literals against a value that nearly matches stay linear', () => {
    const pattern = `${'*a'.repeat(5_000)}*!`
    const value = 'a'.repeat(10_000)
    const counter: StepCounter = {steps: 0}
    const matcher = compileGlobParts(
      [...pattern].map((char) => (char === '*' ? {kind: 'star' as const} : {kind: 'text' as const, text: char})),
      false,
      counter,
    )
    expect(matcher.test(value, counter)).toBe(false)
    expect(counter.steps).toBeLessThanOrEqual(4 * (pattern.length + value.length))
  })

  it('a long literal segment with a near-miss prefix repeated (the KMP worst case for naive search) stays linear', () => {
    const needle = `${'a'.repeat(5_000)}b`
    const counter: StepCounter = {steps: 0}
    const matcher = compileGlob(`*${needle}*`, false, counter)
    expect(matcher.test('a'.repeat(10_000), counter)).toBe(false)
    expect(counter.steps).toBeLessThanOrEqual(4 * (needle.length + 2 + 10_000))
    // The bound means something only if the counter counts: building the table reads the needle, the search the value.
    expect(counter.steps).toBeGreaterThanOrEqual(needle.length + 10_000)
  })

  it('the counter counts the Shift-And search and the anchored segments too', () => {
    const counter: StepCounter = {steps: 0}
    const matcher = compileGlob(`${'x'.repeat(100)}*a?b*${'y'.repeat(100)}`, false, counter)
    expect(matcher.test(`${'x'.repeat(100)}${'c'.repeat(10_000)}${'y'.repeat(100)}`, counter)).toBe(false)
    expect(counter.steps).toBeGreaterThanOrEqual(200 + 10_000)
  })

  it('`role/***…*!` against a long ARN is decided', () => {
    const pattern = `arn:aws:iam::123456789012:role/${'*'.repeat(30)}!`
    const arn = `arn:aws:iam::123456789012:role/${'x'.repeat(5_000)}`
    const counter: StepCounter = {steps: 0}
    expect(compileGlob(pattern, false).test(arn, counter)).toBe(false)
    expect(counter.steps).toBeLessThanOrEqual(4 * (pattern.length + arn.length))
    expect(compileGlob(pattern, false).test(`${arn}!`)).toBe(true)
  })
})
