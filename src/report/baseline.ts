import {readFile} from 'node:fs/promises'
import {UserInputError} from '../shared/errors.js'
import {parseJsonText} from '../shared/validate.js'
import {STATUSES} from '../findings/types.js'
import {REPORT_SCHEMA_VERSION} from './model.js'

/**
 * The fingerprints of the findings that failed in a previous `--format json` report. Only failures count:
 * a check that passed, was unknown or was suppressed then and fails now is new (a baseline made with
 * --include-passed, or under a suppression that has since expired, must not hide it). A missing,
 * unreadable or foreign file is an error, never an empty baseline: that would silently turn every finding
 * into a "new" one, or hide them.
 */
export async function readBaselineFingerprints(path: string): Promise<Set<string>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UserInputError(`cannot read baseline ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  let value: unknown
  try {
    value = parseJsonText(text)
  } catch (error) {
    throw new UserInputError(`baseline ${path}: not valid JSON (${(error as Error).message})`)
  }
  const report = value as {schemaVersion?: unknown; findings?: unknown}
  if (typeof value !== 'object' || value === null || report.schemaVersion !== REPORT_SCHEMA_VERSION || !Array.isArray(report.findings)) {
    throw new UserInputError(`baseline ${path}: not an emr-audit JSON report (schemaVersion ${REPORT_SCHEMA_VERSION}, from \`scan --format json\`)`)
  }
  const fingerprints = new Set<string>()
  for (const [index, finding] of report.findings.entries()) {
    const {fingerprint, status} = (finding ?? {}) as {fingerprint?: unknown; status?: unknown}
    if (typeof fingerprint !== 'string' || !/^[0-9a-f]{32}$/.test(fingerprint))
      throw new UserInputError(`baseline ${path}: findings[${index}] has no valid fingerprint`)
    if (!(STATUSES as readonly unknown[]).includes(status)) throw new UserInputError(`baseline ${path}: findings[${index}] has no valid status`)
    if (status === 'fail') fingerprints.add(fingerprint)
  }
  return fingerprints
}
