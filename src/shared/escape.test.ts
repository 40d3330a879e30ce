import {describe, expect, it} from 'vitest'
import {forHtml, forLog, forMarkdown, forMermaid, forTerminal, forXml, jsonForScript, jsonText, linesForLog} from './escape.js'

describe('forTerminal', () => {
  it('shows controls, DEL, C1 and invisible format characters as escapes, and keeps other text', () => {
    expect(forTerminal('etl\r  ✔ ok')).toBe('etl\\r  ✔ ok')
    expect(forTerminal('a\nb\tc\x00\x7f\x9b')).toBe('a\\nb\\tc\\x00\\x7f\\x9b')
    expect(forTerminal('\x1b]8;;https://evil\x07x\x1b]8;;\x07')).toBe('\\x1b]8;;https://evil\\x07x\\x1b]8;;\\x07')
    expect(forTerminal('gnp\u202eexe\u2066\u2069\u200b\u200f\u2028\u2029\ufeff\u{e0041}')).toBe(
      'gnp\\u202eexe\\u2066\\u2069\\u200b\\u200f\\u2028\\u2029\\ufeff\\u{e0041}',
    )
    expect(forTerminal('café 集群 🚀 role/a-b_c')).toBe('café 集群 🚀 role/a-b_c')
  })
})

describe('forLog', () => {
  it('a name cannot start a workflow command, even after blanks, nor hold a legacy one', () => {
    expect(forLog('etl\r\n::warning title=injected::x')).toBe('etl\\r\\n::warning title=injected::x')
    expect(forLog('::add-mask::x')).toBe('\\x3a:add-mask::x')
    expect(forLog('   ::error::x')).toBe('   \\x3a:error::x')
    expect(forLog('a ##[error]b')).toBe('a \\x23#[error]b')
    expect(forLog('arn:aws:iam::123456789012:role/x')).toBe('arn:aws:iam::123456789012:role/x')
  })
  it('keeps the line breaks of a stack trace, each line escaped', () => {
    expect(linesForLog('Error: x\x1b[2J\n::warning::y\r\n    at z')).toBe('Error: x\\x1b[2J\n\\x3a:warning::y\n    at z')
  })
})

// GFM tables and backslash escapes: https://github.github.com/gfm/#tables-extension- and https://github.github.com/gfm/#backslash-escapes
describe('forMarkdown', () => {
  it('escapes backslashes before pipes, so no cell break survives', () => {
    expect(forMarkdown('a|b')).toBe('a\\|b')
    expect(forMarkdown('a\\|b')).toBe('a\\\\\\|b')
    expect(forMarkdown('a\r\nb')).toBe('a\\\\r\\\\nb')
  })
  it('neutralises HTML, links, images, emphasis, mentions and autolinks', () => {
    expect(forMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;')
    expect(forMarkdown('![i](https://e/x.png) [l](https://e)')).toBe('\\!\\[i\\]\\(https:&#8203;//e/x.png\\) \\[l\\]\\(https:&#8203;//e\\)')
    expect(forMarkdown('@org/team #12 *b* `c` &amp; $x$ ~~s~~ _u_')).toBe(
      '\\@&#8203;org/team \\#&#8203;12 \\*b\\* \\`c\\` &amp;amp; \\$x\\$ \\~\\~s\\~\\~ \\_u\\_',
    )
    expect(forMarkdown('see www.evil.com, arn:aws:iam::1:role/a-b')).toBe('see w&#8203;ww.evil.com, arn:aws:iam::1:role/a-b')
  })
})

describe('jsonText', () => {
  it('writes invisible and control characters as \\u escapes, and parses back to the same value', () => {
    const value = {name: 'a\x7f\x9b\u202e\u2028\u{e0041}\x1b', nested: ['ok ✔']}
    const text = jsonText(value)
    expect(text).toContain('"a\\u007f\\u009b\\u202e\\u2028\\udb40\\udc41\\u001b"')
    expect(JSON.parse(text)).toEqual(value)
  })
})

describe('forXml', () => {
  it('leaves no code point XML 1.0 forbids', () => {
    const escaped = forXml('a\x00b\x1bc\ud800d\uffffe\u202e')
    expect(escaped).toBe('a\\x00b\\x1bc\\ud800d\\uffffe\\u202e')
    // https://www.w3.org/TR/xml/#charsets
    const allowed = (code: number) =>
      code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000
    expect([...escaped].every((character) => allowed(character.codePointAt(0) ?? 0))).toBe(true)
  })
  it('carries no legacy workflow command (`##[`), which the Actions runner reads anywhere in a line', () => {
    expect(forXml('a ##[add-mask]b')).toBe('a \\x23#[add-mask]b')
  })
})

describe('forMermaid', () => {
  it('keeps names readable and writes everything that could end a label, a line or the fence as an entity code', () => {
    expect(forMermaid('arn:aws:iam::1:role/a-b_c.d')).toBe('arn:aws:iam::1:role/a-b_c.d')
    expect(forMermaid('x"]; click n0 call evil()')).toBe('x#34;#93;#59; click n0 call evil#40;#41;')
    expect(forMermaid('%%{init: {}}%%')).toBe('#37;#37;#123;init: #123;#125;#125;#37;#37;')
    expect(forMermaid('```\n<b>|#quot;')).toBe('#96;#96;#96;#92;n#60;b#62;#124;#35;quot#59;')
    expect(forMermaid('a\nb\u202e')).toBe('a#92;nb#92;u202e')
    expect(forMermaid('é')).toBe('#233;')
  })
})

describe('forHtml', () => {
  it('escapes markup, quotes and controls', () => {
    expect(forHtml(`<img src=x onerror='a("b")'>&amp;`)).toBe('&lt;img src=x onerror=&#39;a(&quot;b&quot;)&#39;&gt;&amp;amp;')
    expect(forHtml('a\u0000b\u202ec')).toBe('a\\x00b\\u202ec')
  })
})

describe('jsonForScript', () => {
  it('cannot end its script element and shows no invisible character, yet parses to the same value', () => {
    const value = {name: '</script><!-- & \u202e \u2028 \u{e0041} x'}
    const text = jsonForScript(value)
    expect(text).not.toMatch(/[<>&\u202e\u2028]|\u{e0041}/u)
    expect(text).toContain('\\u003c/script\\u003e')
    expect(JSON.parse(text)).toEqual(value)
  })
})
