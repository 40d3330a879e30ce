/** The merge use case, without oclif: reports from sharded scans read, checked for overlap and combined. */
import {combineReports, findOverlaps, type ScanReport, ScanReportSchema} from '../report/model.js'
import {UserInputError} from '../shared/errors.js'
import {readJsonFile, readablePath, schemaProblems} from '../shared/validate.js'

export async function readReport(path: string): Promise<ScanReport> {
  const value = await readJsonFile(path, 'report')
  const [problem] = schemaProblems(ScanReportSchema, value)
  if (problem)
    throw new UserInputError(`${path}: not an emr-audit JSON report (${readablePath(problem.path) || 'top level'}: ${problem.message.toLowerCase()})`)
  return value as ScanReport
}

export interface MergeRequest {
  paths: readonly string[]
  /** Two reports covering one account and region are an error rather than a warning. */
  failOnOverlap: boolean
  /** Receives each overlap (plain text, not yet escaped) when it is only a warning. */
  warn: (message: string) => void
}

export async function mergeReports(request: MergeRequest): Promise<ScanReport> {
  const {paths} = request
  const reports = await Promise.all(paths.map(readReport))
  for (const overlap of findOverlaps(reports)) {
    const where = `${overlap.reports.map((index) => paths[index]).join(' and ')} both cover account ${overlap.account} in ${overlap.regions.join(', ')}`
    if (request.failOnOverlap) throw new UserInputError(`${where} (--fail-on-overlap)`)
    request.warn(`${where}; their findings are merged, the most severe status winning`)
  }
  return combineReports(reports)
}
