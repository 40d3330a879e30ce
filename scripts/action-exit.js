// The GitHub Action step's exit code, apart from the step script so a unit test can ask it every case.
const INCOMPLETE = 3

/**
 * The step's own exit code. With `strict: false` an incomplete scan (a denied or unsupported source) passes
 * the step with a warning, so one denied API does not turn every run red; with `strict: true` scan runs
 * with --strict and fails it. Findings (1), bad input (2) and crashes fail the step either way.
 */
export function stepExitCode(scanExitCode, strict) {
  return scanExitCode === INCOMPLETE && !strict ? 0 : scanExitCode
}
