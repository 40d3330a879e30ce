import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {isWellFormedRegion} from '../aws/clients.js'
import {UserInputError} from '../shared/errors.js'
import {disabledRules} from '../rules/selection.js'
import {readablePath, schemaProblems} from '../shared/validate.js'
import {RULES} from '../rules/index.js'
import {NAME_PREFIX} from '../findings/suppressions.js'
import {RESOURCE_TYPES} from '../findings/types.js'
import {type AuditConfig, AuditConfigSchema} from '../config/schema.js'

// The YAML parser loads only when there is a config to parse: most runs have none, and it costs start-up.
const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml')

/** Parses and validates config text; every problem names the file and the key or line. */
export function parseConfig(text: string, label: string): AuditConfig {
  const document = yaml().parseDocument(text, {prettyErrors: true, uniqueKeys: true})
  const [syntaxError] = document.errors
  if (syntaxError) {
    const line = syntaxError.linePos?.[0]
    const where = line ? ` line ${line.line}, column ${line.col}` : ''
    throw new UserInputError(`${label}:${where}: ${syntaxError.message.split('\n')[0]}`)
  }
  let value: unknown
  try {
    // Aliases are resolved here, so a dangling or runaway alias fails here, not in the parser.
    value = document.toJS({maxAliasCount: 100}) ?? {}
  } catch (error) {
    throw new UserInputError(`${label}: ${(error as Error).message.split('\n')[0]}`)
  }
  const [problem] = schemaProblems(AuditConfigSchema, value)
  if (problem) {
    const key = readablePath(problem.path)
    if (/^rules\.[^.]+\.expires$/.test(key))
      throw new UserInputError(
        `${label}: ${key}: a disabled rule takes no expiry (it stays off until the entry is removed; for a dated exception use suppressions)`,
      )
    if (problem.message.toLowerCase().includes('unexpected property')) throw new UserInputError(`${label}: unknown key '${key}'`)
    throw new UserInputError(`${label}: ${key || 'the document'}: ${problem.message.toLowerCase()}`)
  }
  const config = value as AuditConfig
  for (const [index, region] of (config.regions ?? []).entries()) {
    if (!isWellFormedRegion(region)) throw new UserInputError(`${label}: regions[${index}]: '${region}' is not an AWS region`)
  }
  for (const [index, suppression] of (config.suppressions ?? []).entries()) {
    if (
      Number.isNaN(Date.parse(`${suppression.expires}T00:00:00Z`)) ||
      new Date(`${suppression.expires}T00:00:00Z`).toISOString().slice(0, 10) !== suppression.expires
    ) {
      throw new UserInputError(`${label}: suppressions[${index}].expires: '${suppression.expires}' is not a calendar date (YYYY-MM-DD)`)
    }
    checkNameSuppression(suppression, `${label}: suppressions[${index}]`)
  }
  for (const [index, studio] of (config.studios ?? []).entries()) {
    if (!isWellFormedRegion(studio.region)) throw new UserInputError(`${label}: studios[${index}].region: '${studio.region}' is not an AWS region`)
  }
  disabledRules(RULES, config, label)
  return config
}

/** A name is chosen by whoever creates the resource: matching one needs the kind of resource too. */
function checkNameSuppression(suppression: {resource: string; resourceType?: string}, where: string): void {
  if (!suppression.resource.startsWith(NAME_PREFIX)) return
  if (suppression.resource.length === NAME_PREFIX.length) throw new UserInputError(`${where}.resource: '${NAME_PREFIX}' needs a name after it`)
  if (suppression.resourceType === undefined) {
    throw new UserInputError(
      `${where}: resource '${suppression.resource}' matches by name, so it needs resourceType (one of ${RESOURCE_TYPES.join(', ')}); ids and ARNs need none`,
    )
  }
}

export async function loadConfig(path: string | undefined): Promise<AuditConfig> {
  if (!path) return {}
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UserInputError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  return parseConfig(text, path)
}
