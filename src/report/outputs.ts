/** Where a report goes: one or several FORMAT=FILE targets, or stdout, each rendered from the same report. */
import {appendFile, mkdir} from 'node:fs/promises'
import {basename, dirname} from 'node:path'
import {type NamedPath, writePrivateFile} from '../shared/files.js'
import {UserInputError} from '../shared/errors.js'
import type {RuleMetadata} from '../rules/types.js'
import {renderAsff} from './asff.js'
import {renderCsv} from './csv.js'
import {renderHtml} from './html.js'
import {renderJson} from './json.js'
import {renderJunit} from './junit.js'
import {renderMarkdown} from './markdown.js'
import type {ScanReport} from './model.js'
import {renderOcsf} from './ocsf.js'
import {renderSarif} from './sarif.js'
import {renderTable} from './table.js'

export const FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown', 'csv', 'ocsf', 'asff', 'html'] as const
export type Format = (typeof FORMATS)[number]

export interface OutputTarget {
  format: Format
  /** undefined: standard output. */
  path?: string
}

const isFormat = (value: string): value is Format => (FORMATS as readonly string[]).includes(value)

/**
 * File name endings and the format each names, longer endings first (`.asff.json` before `.json`). A
 * format this build does not have (html) is named here all the same, so the error says what is missing.
 */
const FORMAT_BY_ENDING: ReadonlyArray<readonly [ending: string, format: string]> = [
  ['.asff.json', 'asff'],
  ['.ocsf.json', 'ocsf'],
  ['.sarif.json', 'sarif'],
  ['.json', 'json'],
  ['.sarif', 'sarif'],
  ['.xml', 'junit'],
  ['.md', 'markdown'],
  ['.csv', 'csv'],
  ['.html', 'html'],
]

/** The format a file name asks for by its ending (any case), if it names one. */
export function formatForFileName(path: string): string | undefined {
  const name = basename(path).toLowerCase()
  return FORMAT_BY_ENDING.find(([ending]) => name.endsWith(ending) && name.length > ending.length)?.[1]
}

const ENDINGS = FORMAT_BY_ENDING.map(([ending]) => ending).join(', ')

function inferredTarget(value: string): OutputTarget {
  const inferred = formatForFileName(value)
  if (inferred === undefined)
    throw new UserInputError(`--output ${value}: cannot tell the format from the file name; end it in ${ENDINGS}, or write FORMAT=${value} or --format`)
  if (!isFormat(inferred))
    throw new UserInputError(`--output ${value}: the ${inferred} format is not available in this version (use one of ${FORMATS.join(', ')})`)
  return {format: inferred, path: value}
}

/**
 * `--output FORMAT=FILE` (repeatable) writes that format to FILE; `--output FILE` writes --format when it
 * was given, else the format FILE's ending names (`r.sarif`, `r.asff.json`); `-` as the file is standard
 * output, in --format or `fallback`. Without --output the report goes to stdout the same way.
 */
export function parseOutputs(values: readonly string[], format: Format | undefined, fallback: Format): OutputTarget[] {
  const stdoutFormat = format ?? fallback
  if (values.length === 0) return [{format: stdoutFormat}]
  const targets = values.map((value): OutputTarget => {
    const match = /^([a-z]+)=(.+)$/.exec(value)
    const toTarget = (chosen: Format, path: string): OutputTarget => (path === '-' ? {format: chosen} : {format: chosen, path})
    if (!match) return value === '-' || format !== undefined ? toTarget(stdoutFormat, value) : inferredTarget(value)
    const [, named = '', path = ''] = match
    if (!isFormat(named)) throw new UserInputError(`--output ${value}: unknown format '${named}' (use one of ${FORMATS.join(', ')})`)
    return toTarget(named, path)
  })
  const paths = targets.map((target) => target.path ?? '-')
  const repeated = paths.find((path, index) => paths.indexOf(path) !== index)
  if (repeated) throw new UserInputError(`--output: ${repeated} is named twice`)
  return targets
}

/** The file targets, named as the user gave them, for the one-writer-per-file check (stdout is not a file). */
export function fileOutputs(targets: readonly OutputTarget[]): NamedPath[] {
  return targets.flatMap((target) => (target.path === undefined ? [] : [{flag: `--output ${target.format}=${target.path}`, path: target.path}]))
}

export function render(report: ScanReport, format: Format, rules: readonly RuleMetadata[], color: boolean): string {
  switch (format) {
    case 'json':
      return renderJson(report)
    case 'sarif':
      return renderSarif(report, rules)
    case 'junit':
      return renderJunit(report)
    case 'markdown':
      return renderMarkdown(report)
    case 'csv':
      return renderCsv(report, rules)
    case 'ocsf':
      return renderOcsf(report, rules)
    case 'asff':
      return renderAsff(report, rules)
    case 'table':
      return renderTable(report, {color})
    case 'html':
      return renderHtml(report)
  }
}

/**
 * Resolves once the text has been handed to the operating system. A pipe takes writes asynchronously, and
 * the command exits (with the exit code) right after: without waiting, a large report would be cut short.
 */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())))
}

export async function writeOutputs(
  report: ScanReport,
  targets: OutputTarget[],
  rules: readonly RuleMetadata[],
  options: {color: boolean; stepSummary?: string},
): Promise<void> {
  for (const target of targets) {
    const text = render(report, target.format, rules, target.path === undefined && options.color)
    if (target.path === undefined) {
      await writeStdout(text)
      continue
    }
    // A report to a folder that is not there yet: make it (private, like the report) rather than lose the scan.
    await mkdir(dirname(target.path), {recursive: true, mode: 0o700}).catch((error: NodeJS.ErrnoException) => {
      throw new UserInputError(`cannot create the folder of ${target.path}: ${error.code ?? error.message}`)
    })
    await writePrivateFile(target.path, text)
  }
  // GitHub Actions shows this file as the job's summary page.
  if (options.stepSummary) {
    try {
      await appendFile(options.stepSummary, renderMarkdown(report), 'utf8')
    } catch (error) {
      throw new UserInputError(
        `cannot append to GITHUB_STEP_SUMMARY (${options.stepSummary}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      )
    }
  }
}
