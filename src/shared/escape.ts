/**
 * Text that came from the scanned account, an endpoint or a file on disk (names, tags, policy text, error
 * messages) is escaped for the medium it is written to, by the renderer, at the last moment. Whoever can
 * name a cluster must not be able to move a terminal's cursor, forge a CI annotation, or add HTML, links
 * or mentions to a step summary. Escaping is visible, never silent: a reviewer sees `\x1b` or `\u202e`
 * where the account put one.
 */

/**
 * C0/C1 controls and DEL (\p{Cc}), invisible format characters such as bidi overrides and isolates,
 * zero-width spaces and the BOM (\p{Cf}), and the line and paragraph separators (\p{Zl}, \p{Zp}): none
 * of them has a visible glyph, and each can reorder, hide or overwrite what is around it.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu
const NAMED: Readonly<Record<string, string>> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

function visibleEscape(character: string): string {
  const named = NAMED[character]
  if (named) return named
  const code = character.codePointAt(0) ?? 0
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`
  return `\\u{${code.toString(16)}}`
}

/** For a terminal: every control and invisible character shown as an escape; the text stays on one line. */
export function forTerminal(text: string): string {
  return text.replace(INVISIBLE, visibleEscape)
}

/**
 * The GitHub Actions runner reads a log line whose first non-blank characters are `::` as a workflow
 * command (`::warning`, `::add-mask::`), and `##[` anywhere in a line as a legacy one. Those are made
 * inert by showing one of their characters as an escape.
 */
const WORKFLOW_COMMAND_START = /^(\s*):(?=:)/
const LEGACY_WORKFLOW_COMMAND = /#(?=#\[)/g

/** For a line of a terminal or CI log (stdout and stderr): one line, no control characters, no workflow command. */
export function forLog(text: string): string {
  return forTerminal(text).replace(WORKFLOW_COMMAND_START, '$1\\x3a').replace(LEGACY_WORKFLOW_COMMAND, '\\x23')
}

/** Each line of a multi-line text (a stack trace) escaped for a log, the line breaks kept. */
export function linesForLog(text: string): string {
  return text.split(/\r?\n/).map(forLog).join('\n')
}

/** A zero-width space, as an HTML entity so the Markdown source shows what was inserted. */
const ZERO_WIDTH_SPACE = '&#8203;'
const HTML_ENTITY: Readonly<Record<string, string>> = {'&': '&amp;', '<': '&lt;', '>': '&gt;'}
/**
 * The punctuation that means something inside a line of GitHub Markdown: escapes, code spans, emphasis,
 * strikethrough, links and images, table cells, math, mentions and references. (What only matters at
 * the start of a line, such as `-` or `1.`, never starts one: escaped text is always inside a line.)
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]()!|~$@#&<>]/g

/**
 * For Markdown text, a GFM table cell included (`$GITHUB_STEP_SUMMARY`, pull-request comments): controls
 * shown as escapes (so `\r` and `\n` cannot end a row), backslashes escaped with the rest (so `\|` cannot
 * become a cell break), special punctuation backslash-escaped, `<`, `>` and `&` as entities (no HTML).
 * GitHub links `@name`, `#123` and bare URLs in rendered text even when escaped, so a zero-width space
 * (as the entity `&#8203;`) is put after `@` and `#`, after `://` 's colon and after the first `w` of `www.`.
 */
export function forMarkdown(text: string): string {
  return forTerminal(text)
    .replace(MARKDOWN_SPECIAL, (character) => HTML_ENTITY[character] ?? `\\${character}`)
    .replace(/\\([@#])/g, `\\$1${ZERO_WIDTH_SPACE}`)
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
    .replace(/w(?=ww\.)/gi, (w) => `${w}${ZERO_WIDTH_SPACE}`)
}

/** Characters a Mermaid label may hold as they are; everything else is written as an entity code. */
const MERMAID_PLAIN = /^[A-Za-z0-9 ._:/,=+-]$/u

/**
 * For the text of a Mermaid label inside `["..."]` or `|"..."|`, in a fenced block of Markdown. Controls are
 * shown as escapes first; then every character but letters, digits and a little punctuation is written as
 * Mermaid's decimal entity code (`#34;`), which Mermaid renders as that character, as text. So a name cannot
 * close the label (quotes, brackets, pipes), start a comment (`%%`) or directive, add HTML (`<`, `&`), close
 * the code fence (backticks) or end the line.
 */
export function forMermaid(text: string): string {
  return Array.from(forTerminal(text), (character) => (MERMAID_PLAIN.test(character) ? character : `#${character.codePointAt(0)};`)).join('')
}

const HTML_SPECIAL: Readonly<Record<string, string>> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}

/**
 * For HTML text and quoted attribute values (the HTML report, its inline SVG): controls and invisible
 * characters shown as escapes, and the five characters that could end text or an attribute as entities.
 */
export function forHtml(text: string): string {
  return forTerminal(text).replace(/[&<>"']/g, (character) => HTML_SPECIAL[character] ?? character)
}

/**
 * XML 1.0 allows only tab, line feed, carriage return and U+0020–U+D7FF, U+E000–U+FFFD and the
 * supplementary planes. Controls and invisible characters are shown as escapes (as on a terminal), and
 * the few other forbidden code points (lone surrogates, U+FFFE, U+FFFF) likewise, so the document stays
 * well-formed; `<`, `&` and quotes are the XML writer's job.
 */
export function forXml(text: string): string {
  // A JUnit file printed to a CI log must not carry a legacy workflow command either.
  return forTerminal(text)
    .replace(/[\uFFFE\uFFFF]|\p{Cs}/gu, visibleEscape)
    .replace(LEGACY_WORKFLOW_COMMAND, '\\x23')
}

const unicodeEscapes = (character: string): string =>
  Array.from({length: character.length}, (_, index) => `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`).join('')

/**
 * JSON (reports, SARIF, plans) as a terminal may show it: the same value for any parser, but controls,
 * bidi overrides and other invisible characters inside strings written as `\u` escapes rather than raw
 * (JSON.stringify escapes only C0 controls), so `cat report.json` cannot be made to lie.
 */
export function jsonText(value: unknown): string {
  // Line feeds are the indentation's own: JSON.stringify has already escaped any inside strings.
  // `#` occurs only inside strings, where `\u0023` is the same value: a report printed to a CI log (`--format
  // json` on stdout) then carries no legacy `##[` workflow command, which the runner reads anywhere in a line.
  return JSON.stringify(value, null, 2)
    .replace(INVISIBLE, (character) => (character === '\n' ? character : unicodeEscapes(character)))
    .replace(LEGACY_WORKFLOW_COMMAND, '\\u0023')
}

/**
 * JSON for a `<script type="application/json">` element of an HTML page: no `<`, `>` or `&` (so no
 * `</script>` or `<!--` can end or change the element), and no control, bidi or line-separator character
 * raw; each is a `\u` escape, so `JSON.parse` of the element's text gives the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, unicodeEscapes).replace(INVISIBLE, unicodeEscapes)
}
