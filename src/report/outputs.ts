/** Where a report goes: one or several FORMAT=FILE targets, or stdout, each rendered from the same report. */
import {appendFile} from 'node:fs/promises'
import {type NamedPath, writePrivateFile} from '../shared/files.js'
import {UserInputError} from '../shared/errors.js'
import type {RuleMetadata} from '../rules/types.js'
import {renderJson} from './json.js'
import {renderJunit} from './junit.js'
import {renderMarkdown} from './markdown.js'
import type {ScanReport} from './model.js'
import {renderSarif} from './sarif.js'
import {renderTable} from './table.js'

export const FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown'] as const
export type Format = (typeof FORMATS)[number]

export interface OutputTarget {
  format: Format
  /** undefined: standard output. */
  path?: string
}

const isFormat = (value: string): value is Format => (FORMATS as readonly string[]).includes(value)

/**
 * `--output FILE` writes --format to FILE; `--output FORMAT=FILE` (repeatable) writes that format there;
 * `-` as the file is standard output. Without --output the report goes to stdout in --format.
 */
export function parseOutputs(values: readonly string[], defaultFormat: Format): OutputTarget[] {
  if (values.length === 0) return [{format: defaultFormat}]
  const targets = values.map((value): OutputTarget => {
    const match = /^([a-z]+)=(.+)$/.exec(value)
    const toTarget = (format: Format, path: string): OutputTarget => (path === '-' ? {format} : {format, path})
    if (!match) return toTarget(defaultFormat, value)
    const [, format = '', path = ''] = match
    if (!isFormat(format)) throw new UserInputError(`--output ${value}: unknown format '${format}' (use one of ${FORMATS.join(', ')})`)
    return toTarget(format, path)
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
    case 'table':
      return renderTable(report, {color})
  }
}

/**
 * Resolves once the text has been handed to the operating system. A pipe takes writes asynchronously, and
 * the command exits (with the exit code) right after: without waiting, a large report would be cut short.
 */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())))
}

export async function writeOutputs(report: ScanReport, targets: OutputTarget[], rules: readonly RuleMetadata[], options: {color: boolean; stepSummary?: string}): Promise<void> {
  for (const target of targets) {
    const text = render(report, target.format, rules, target.path === undefined && options.color)
    if (target.path === undefined) {
      await writeStdout(text)
      continue
    }
    await writePrivateFile(target.path, text)
  }
  // GitHub Actions shows this file as the job's summary page.
  if (options.stepSummary) {
    try {
      await appendFile(options.stepSummary, renderMarkdown(report), 'utf8')
    } catch (error) {
      throw new UserInputError(`cannot append to GITHUB_STEP_SUMMARY (${options.stepSummary}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
  }
}
