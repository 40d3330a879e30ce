/** Flags every command that talks to an account shares, defined once so their wording never drifts. */
import {Flags} from '@oclif/core'
import {type Format, FORMATS} from '../report/outputs.js'

export const accountFlags = {
  config: Flags.string({char: 'c', summary: 'Config file (YAML or JSON).', helpValue: 'FILE'}),
  region: Flags.string({
    char: 'r',
    summary: "Region to scan (repeatable). Default: the config's regions, else the SDK's region.",
    multiple: true,
    helpValue: 'REGION',
  }),
  profile: Flags.string({char: 'p', summary: 'AWS profile to use.', helpValue: 'NAME'}),
  'endpoint-url': Flags.string({summary: 'Send every AWS call to this endpoint (emulators, tests). AWS_ENDPOINT_URL works too.', helpValue: 'URL'}),
  debug: Flags.boolean({summary: 'Print stack traces for errors.', default: false}),
}

/** Which checks run and what is shown: the filters scanners users know from Prowler and Checkov. */
export const selectionFlags = {
  checks: Flags.string({
    summary: 'Evaluate only these rules: ids or globs, comma-separated (e.g. EMR-TAG-*,EMR-TRUST-001).',
    helpValue: 'ID',
    multiple: true,
    delimiter: ',',
  }),
  'exclude-checks': Flags.string({summary: 'Do not evaluate these rules: ids or globs, comma-separated.', helpValue: 'ID', multiple: true, delimiter: ','}),
  groups: Flags.string({
    summary: 'Evaluate only rules of these groups (ROLE, PROFILE, TRUST, POLICY, PASSROLE, TAG, STUDIO, RUNTIME, SECCFG, CLUSTER, SLR), comma-separated.',
    helpValue: 'GROUP',
    multiple: true,
    delimiter: ',',
  }),
  severity: Flags.string({
    summary: 'Report only findings of these severities, comma-separated (unlike --fail-on, which sets the exit code).',
    helpValue: 'LEVEL',
    multiple: true,
    delimiter: ',',
  }),
}

/** What a run prints besides the report. */
export const outputFlags = {
  quiet: Flags.boolean({char: 'q', summary: 'Print nothing but the report and errors (no progress, no warnings).', default: false}),
  color: Flags.boolean({summary: 'Colour the table. Default: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it.', allowNo: true}),
}

export function checkSelection(flags: {
  checks?: string[] | undefined
  'exclude-checks'?: string[] | undefined
  groups?: string[] | undefined
  severity?: string[] | undefined
}) {
  return {
    ...(flags.checks ? {checks: flags.checks} : {}),
    ...(flags['exclude-checks'] ? {excludeChecks: flags['exclude-checks']} : {}),
    ...(flags.groups ? {groups: flags.groups} : {}),
    ...(flags.severity ? {severities: flags.severity} : {}),
  }
}

/**
 * `--format`, without an oclif default: `--output FILE` alone takes the format from FILE's ending, so the
 * default (`fallback`) is applied in code, after the output names are known.
 */
export function formatFlag(fallback: Format) {
  return Flags.option({
    char: 'f',
    summary: `Output format (default ${fallback}; --output FILE without it takes the format from FILE's ending).`,
    options: FORMATS,
  })()
}
