/**
 * Which kind of file a preflight was given, told from its content (not its name): a RunJobFlow request,
 * a Terraform plan (`terraform show -json`), or a CloudFormation template (JSON or YAML).
 */
import {parse as parseYaml} from 'yaml'
import {UserInputError} from '../shared/errors.js'
import {forLog} from '../shared/escape.js'
import {isPlainObject, parseJsonText} from '../shared/validate.js'
import {parseCloudFormation} from './cloudformation.js'
import type {ParsedLaunch} from './planned.js'
import type {LaunchRequest} from './request.js'
import {parseRunJobFlow} from './run-job-flow.js'
import {parseTerraformPlan} from './terraform.js'

export type LaunchFormat = LaunchRequest['format']

export function detectFormat(document: unknown): LaunchFormat | undefined {
  if (!isPlainObject(document)) return undefined
  if ('format_version' in document && ('planned_values' in document || 'resource_changes' in document)) return 'terraform'
  if (isPlainObject(document['Resources'])) return 'cloudformation'
  if ('Instances' in document || 'JobFlowRole' in document || 'ServiceRole' in document) return 'run-job-flow'
  return undefined
}

/** JSON first; YAML only for what is not JSON (CloudFormation templates are often YAML). */
function parseDocument(text: string, file: string): unknown {
  try {
    return parseJsonText(text)
  } catch {
    try {
      return parseYaml(text, {maxAliasCount: 100, uniqueKeys: true, customTags: cloudFormationTags})
    } catch (error) {
      throw new UserInputError(forLog(`${file}: neither JSON nor YAML (${(error as Error).message.split('\n')[0]})`))
    }
  }
}

/** CloudFormation's short-form intrinsics (`!Ref x`) read as their long form (`{Ref: x}`). */
const SHORT_FORMS = [
  'Ref',
  'GetAtt',
  'Sub',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'Base64',
  'Cidr',
  'GetAZs',
  'ImportValue',
  'Condition',
]
const cloudFormationTags = SHORT_FORMS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`
  const value = (resolved: unknown) => ({[key]: name === 'GetAtt' && typeof resolved === 'string' ? resolved.split('.') : resolved})
  return (['scalar', 'seq', 'map'] as const).map((nodeClass) => ({tag: `!${name}`, collection: nodeClass === 'scalar' ? undefined : nodeClass, resolve: value}))
}).map(({tag, collection, resolve}) =>
  collection ? {tag, collection, resolve: (node: {toJSON(): unknown}) => resolve(node.toJSON())} : {tag, resolve: (text: string) => resolve(text)},
)

export interface InputOptions {
  /** CloudFormation parameter values (--parameter K=V). */
  parameters: Record<string, string>
}

/**
 * Checks FILE's syntax and structure (nothing is sent to AWS before this succeeds). The request itself is
 * built once the account is known, because what a plan or template creates is named by the account's ARNs.
 */
export function parseLaunchInput(text: string, file: string, options: InputOptions): ParsedLaunch {
  const document = parseDocument(text, file)
  const format = detectFormat(document)
  if (format === undefined || !isPlainObject(document)) {
    throw new UserInputError(
      `${forLog(file)}: not a RunJobFlow request (Name, Instances …), a Terraform plan (terraform show -json) or a CloudFormation template (Resources)`,
    )
  }
  switch (format) {
    case 'run-job-flow': {
      const request = parseRunJobFlow(document, file)
      return {format, build: () => request}
    }
    case 'terraform':
      return parseTerraformPlan(document, file)
    case 'cloudformation':
      return parseCloudFormation(document, file, options.parameters)
  }
}
