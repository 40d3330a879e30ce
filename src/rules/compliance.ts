/**
 * The compliance controls a rule answers for, as AWS Security Hub states them. A rule names a control only
 * where it checks the same thing as that control; the NIST SP 800-53 r5 controls are the ones Security Hub
 * itself lists as the control's related requirements, so a report maps exactly as Security Hub would.
 */
import type {ComplianceMapping, ComplianceFramework} from './types.js'

/** Where the FSBP controls and their NIST SP 800-53 r5 related requirements are stated. */
export const SECURITY_HUB_EMR_CONTROLS_URL = 'https://docs.aws.amazon.com/securityhub/latest/userguide/emr-controls.html'

export type SecurityHubEmrControl = 'EMR.1' | 'EMR.2' | 'EMR.3' | 'EMR.4'

const PUBLIC_ACCESS_NIST = [
  'AC-21',
  'AC-3',
  'AC-3(7)',
  'AC-4',
  'AC-4(21)',
  'AC-6',
  'SC-7',
  'SC-7(11)',
  'SC-7(16)',
  'SC-7(20)',
  'SC-7(21)',
  'SC-7(3)',
  'SC-7(4)',
  'SC-7(9)',
]

/** "Related requirements" of each control on the Security Hub EMR controls page (NIST.800-53.r5 entries only). */
const NIST_BY_CONTROL: Readonly<Record<SecurityHubEmrControl, readonly string[]>> = {
  'EMR.1': PUBLIC_ACCESS_NIST,
  'EMR.2': PUBLIC_ACCESS_NIST,
  'EMR.3': ['CA-9(1)', 'CP-9(8)', 'SI-12'],
  'EMR.4': ['AC-4', 'SC-7(4)', 'SC-8', 'SC-8(1)', 'SC-8(2)', 'SC-13', 'SC-23', 'SC-23(3)'],
}

/** The FSBP control and the NIST SP 800-53 r5 controls Security Hub relates to it. */
export function securityHubControl(control: SecurityHubEmrControl): readonly ComplianceMapping[] {
  return [{framework: 'AWS-FSBP', control}, ...NIST_BY_CONTROL[control].map((nist) => ({framework: 'NIST-800-53-r5' as const, control: nist}))]
}

/** The names a user may give a framework (any case). */
const FRAMEWORK_ALIASES: Readonly<Record<string, ComplianceFramework>> = {
  'aws-fsbp': 'AWS-FSBP',
  fsbp: 'AWS-FSBP',
  'nist-800-53-r5': 'NIST-800-53-r5',
  'nist-800-53': 'NIST-800-53-r5',
  nist: 'NIST-800-53-r5',
}

export function frameworkNamed(name: string): ComplianceFramework | undefined {
  return FRAMEWORK_ALIASES[name.toLowerCase()]
}

/** The controls of one framework a rule maps to, in the order the rule lists them. */
export function controlsOf(compliance: readonly ComplianceMapping[] | undefined, framework: ComplianceFramework): string[] {
  return (compliance ?? []).filter((entry) => entry.framework === framework).map((entry) => entry.control)
}
