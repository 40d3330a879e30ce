/**
 * IAM globs (`*` any run of characters, crossing `/` and `:`; `?` exactly one) matched without regular
 * expressions, in time linear in pattern plus value for every pattern without `?` and with at most
 * 32 characters between two stars otherwise. Policy text is hostile input: a backtracking regular expression
 * built from `role/*****…*!` can stop a scan; this matcher cannot.
 *
 * How: the pattern splits on `*` into segments. The first segment must match at the start, the last at the
 * end, and every middle segment at its leftmost occurrence after the previous one (leftmost is always safe:
 * a later occurrence leaves less room for what follows). A middle segment is found with Knuth–Morris–Pratt
 * (no `?`: at most 2 steps per value character scanned plus 2 per segment character) or with bit-parallel
 * Shift-And (with `?`: one step per value character scanned and 32-bit word of the segment). The value
 * characters a search scans end where its occurrence ends, and the next search starts there, so each value
 * character is scanned by at most one search.
 */

/** A piece of a pattern: literal text, `*` or `?`. Literal text may hold `*` and `?` (from `${*}`, `${?}`). */
export type GlobPart = {kind: 'text'; text: string} | {kind: 'star'} | {kind: 'one'}

/** Counts the elementary steps of compiling and matching, so tests can bound them. */
export interface StepCounter {
  steps: number
}

export interface GlobMatcher {
  test(value: string, counter?: StepCounter): boolean
}

interface Segment {
  /** The segment's characters (code units); positions of `?` hold a placeholder and are flagged in `wild`. */
  chars: string
  wild: boolean[] | undefined
  search: (value: string, from: number, end: number, counter: StepCounter) => number
}

const WORD = 32

/** `*` and `?` of a pattern as written become wildcards; everything else is literal. */
export function globParts(pattern: string): GlobPart[] {
  const parts: GlobPart[] = []
  let text = ''
  for (const char of pattern) {
    if (char !== '*' && char !== '?') {
      text += char
      continue
    }
    if (text) parts.push({kind: 'text', text})
    text = ''
    parts.push({kind: char === '*' ? 'star' : 'one'})
  }
  if (text) parts.push({kind: 'text', text})
  return parts
}

function charMatches(segment: Segment, position: number, char: number): boolean {
  return segment.wild?.[position] === true || segment.chars.charCodeAt(position) === char
}

function matchesAt(segment: Segment, value: string, at: number, counter: StepCounter): boolean {
  for (let position = 0; position < segment.chars.length; position++) {
    counter.steps++
    if (!charMatches(segment, position, value.charCodeAt(at + position))) return false
  }
  return true
}

/** Knuth–Morris–Pratt failure table of a literal segment. */
function failureTable(chars: string, counter: StepCounter): Int32Array {
  const table = new Int32Array(chars.length)
  let length = 0
  for (let position = 1; position < chars.length; position++) {
    counter.steps++
    while (length > 0 && chars.charCodeAt(position) !== chars.charCodeAt(length)) {
      counter.steps++
      length = table[length - 1]!
    }
    if (chars.charCodeAt(position) === chars.charCodeAt(length)) length++
    table[position] = length
  }
  return table
}

function literalSearch(chars: string, counter: StepCounter): Segment['search'] {
  const table = failureTable(chars, counter)
  return (value, from, end, steps) => {
    let matched = 0
    for (let position = from; position < end; position++) {
      steps.steps++
      const char = value.charCodeAt(position)
      while (matched > 0 && char !== chars.charCodeAt(matched)) {
        steps.steps++
        matched = table[matched - 1]!
      }
      if (char === chars.charCodeAt(matched)) matched++
      if (matched === chars.length) return position - chars.length + 1
    }
    return -1
  }
}

/** Shift-And over 32-bit words: bit i of the state says "the segment's first i+1 characters end here". */
function wildSearch(chars: string, wild: boolean[], counter: StepCounter): Segment['search'] {
  const words = Math.ceil(chars.length / WORD)
  const anyChar = new Uint32Array(words)
  wild.forEach((isWild, position) => {
    if (isWild) anyChar[position >>> 5]! |= 1 << (position & 31)
  })
  const masks = new Map<number, Uint32Array>()
  for (let position = 0; position < chars.length; position++) {
    counter.steps++
    if (wild[position]) continue
    const code = chars.charCodeAt(position)
    let mask = masks.get(code)
    if (!mask) masks.set(code, (mask = Uint32Array.from(anyChar)))
    mask[position >>> 5]! |= 1 << (position & 31)
  }
  const lastWord = words - 1
  const lastBit = 1 << ((chars.length - 1) & 31)
  return (value, from, end, steps) => {
    const state = new Uint32Array(words)
    for (let position = from; position < end; position++) {
      const mask = masks.get(value.charCodeAt(position)) ?? anyChar
      let carry = 1
      for (let word = 0; word < words; word++) {
        steps.steps++
        const next = state[word]! >>> 31
        state[word] = ((state[word]! << 1) | carry) & mask[word]!
        carry = next
      }
      if ((state[lastWord]! & lastBit) !== 0) return position - chars.length + 1
    }
    return -1
  }
}

function segmentOf(parts: GlobPart[], caseInsensitive: boolean, counter: StepCounter): Segment {
  let chars = ''
  const wild: boolean[] = []
  for (const part of parts) {
    const text = part.kind === 'text' ? (caseInsensitive ? part.text.toLowerCase() : part.text) : '\u0000'
    for (let index = 0; index < text.length; index++) wild.push(part.kind === 'one')
    chars += text
  }
  const hasWild = wild.includes(true)
  const segment: Segment = {chars, wild: hasWild ? wild : undefined, search: () => -1}
  if (chars.length > 0) segment.search = hasWild ? wildSearch(chars, wild, counter) : literalSearch(chars, counter)
  return segment
}

function splitOnStars(parts: GlobPart[]): GlobPart[][] {
  const segments: GlobPart[][] = [[]]
  for (const part of parts) {
    if (part.kind === 'star') segments.push([])
    else segments[segments.length - 1]!.push(part)
  }
  return segments
}

class CompiledGlob implements GlobMatcher {
  private readonly first: Segment
  private readonly middle: Segment[]
  private readonly last: Segment | undefined

  constructor(
    parts: GlobPart[],
    private readonly caseInsensitive: boolean,
    counter: StepCounter,
  ) {
    const segments = splitOnStars(parts).map((segment) => segmentOf(segment, caseInsensitive, counter))
    this.first = segments[0]!
    this.last = segments.length > 1 ? segments[segments.length - 1] : undefined
    // Consecutive stars leave empty segments, which match anywhere: dropping them keeps `****…` cheap.
    this.middle = segments.slice(1, -1).filter((segment) => segment.chars.length > 0)
  }

  test(raw: string, counter: StepCounter = {steps: 0}): boolean {
    const value = this.caseInsensitive ? raw.toLowerCase() : raw
    counter.steps++
    const {first, last} = this
    if (!last) return value.length === first.chars.length && matchesAt(first, value, 0, counter)
    const end = value.length - last.chars.length
    if (end < first.chars.length) return false
    if (!matchesAt(first, value, 0, counter) || !matchesAt(last, value, end, counter)) return false
    let position = first.chars.length
    for (const segment of this.middle) {
      const found = segment.search(value, position, end, counter)
      if (found < 0) return false
      position = found + segment.chars.length
    }
    return true
  }
}

/** Compiles parts that already say which characters are wildcards (policy variables substituted). */
export function compileGlobParts(parts: GlobPart[], caseInsensitive: boolean, counter: StepCounter = {steps: 0}): GlobMatcher {
  return new CompiledGlob(parts, caseInsensitive, counter)
}

const CACHE_LIMIT = 20_000
// Real patterns are short; a hostile one of megabytes is compiled afresh (still linear) rather than kept.
const CACHED_LENGTH_LIMIT = 2_048
const cache = new Map<string, GlobMatcher>()

/** The compiled matcher of a pattern as written, compiled once and kept in a bounded cache. */
export function compileGlob(pattern: string, caseInsensitive: boolean, counter?: StepCounter): GlobMatcher {
  if (pattern.length > CACHED_LENGTH_LIMIT) return compileGlobParts(globParts(pattern), caseInsensitive, counter)
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`
  let matcher = cache.get(key)
  if (!matcher) {
    matcher = compileGlobParts(globParts(pattern), caseInsensitive, counter)
    // Oldest first out: a hostile inventory with millions of distinct patterns cannot grow memory unbounded.
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
    cache.set(key, matcher)
  }
  return matcher
}
