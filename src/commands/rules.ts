import {Args, Flags} from '@oclif/core'
import {AuditCommand} from '../cli/audit-command.js'
import {UserInputError} from '../shared/errors.js'
import {writeStdout} from '../report/outputs.js'
import {complianceMapping, type ControlMapping, renderComplianceMapping, renderRuleDetail, renderRuleList} from '../report/rule-reference.js'
import {COMPLIANCE_FRAMEWORKS, frameworkNamed, ruleCatalog} from '../app/catalog.js'
import type {RuleMetadata} from '../rules/types.js'

export default class Rules extends AuditCommand {
  static override summary = 'List the rules, or explain one.'

  static override description =
    'Every rule of the requirements catalog that emr-audit checks: its id, severity, auto-apply class and title. Give a rule id to see what it checks, why, where the requirement comes from, and how to fix it.'

  static override enableJsonFlag = true

  static override args = {
    ruleId: Args.string({description: 'A rule id, e.g. EMR-TAG-001 (case-insensitive).', required: false}),
  }

  static override flags = {
    group: Flags.string({
      summary: 'Only rules of this group (ROLE, PROFILE, TRUST, POLICY, PASSROLE, TAG, STUDIO, RUNTIME, SECCFG, CLUSTER, SLR).',
      helpValue: 'GROUP',
    }),
    compliance: Flags.string({
      summary: `List the controls of a compliance framework the rules check (${COMPLIANCE_FRAMEWORKS.join(', ')}; FSBP and NIST also accepted).`,
      helpValue: 'FRAMEWORK',
      exclusive: ['group'],
    }),
  }

  static override examples = [
    {description: 'List every rule', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Explain one rule', command: '<%= config.bin %> <%= command.id %> EMR-TAG-001'},
    {description: 'The tag rules, as JSON', command: '<%= config.bin %> <%= command.id %> --group TAG --json'},
    {description: 'Which AWS Foundational Security Best Practices controls the rules check', command: '<%= config.bin %> <%= command.id %> --compliance FSBP'},
  ]

  async run(): Promise<RuleMetadata[] | RuleMetadata | ControlMapping[]> {
    const {args, flags} = await this.parse(Rules)
    // Every rule shows a compliance list, empty when no control checks the same thing.
    const metadata = ruleCatalog().map((rule) => ({...rule, compliance: rule.compliance ?? []}))
    if (flags.compliance !== undefined) {
      const framework = frameworkNamed(flags.compliance)
      if (!framework) throw new UserInputError(`--compliance: no framework ${flags.compliance} (use one of ${COMPLIANCE_FRAMEWORKS.join(', ')})`)
      const mapping = complianceMapping(metadata, framework)
      if (!this.jsonEnabled()) await writeStdout(renderComplianceMapping(mapping, framework))
      return mapping
    }
    if (args.ruleId) {
      const rule = metadata.find((entry) => entry.id.toLowerCase() === args.ruleId?.toLowerCase())
      if (!rule) throw new UserInputError(`no rule ${args.ruleId}; run \`emr-audit rules\` for the list`)
      if (!this.jsonEnabled()) await writeStdout(renderRuleDetail(rule))
      return rule
    }
    const group = flags.group?.toUpperCase()
    const selected = group ? metadata.filter((rule) => rule.group === group) : metadata
    if (group && selected.length === 0) throw new UserInputError(`--group: no rule group ${flags.group}`)
    if (!this.jsonEnabled()) await writeStdout(renderRuleList(selected))
    return selected
  }
}
