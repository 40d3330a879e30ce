import {UserInputError} from '../shared/errors.js'
import {readJsonFile, readablePath, schemaProblems} from '../shared/validate.js'
import {INVENTORY_SCHEMA_VERSION, type Inventory, InventorySchema} from './schema.js'

/** Validates a parsed inventory document; problems name the file and the place. */
export function parseInventory(value: unknown, label: string): Inventory {
  const version = (value as {schemaVersion?: unknown} | null)?.schemaVersion
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserInputError(`${label}: not an emr-audit inventory (expected a JSON object)`)
  if (version !== INVENTORY_SCHEMA_VERSION) {
    throw new UserInputError(`${label}: unsupported inventory schemaVersion ${JSON.stringify(version)} (this emr-audit reads version ${INVENTORY_SCHEMA_VERSION})`)
  }
  const [problem] = schemaProblems(InventorySchema, value)
  if (problem) throw new UserInputError(`${label}: invalid inventory at ${readablePath(problem.path) || 'top level'}: ${problem.message.toLowerCase()}`)
  return value as Inventory
}

export async function readInventory(path: string): Promise<Inventory> {
  return parseInventory(await readJsonFile(path, 'inventory file'), path)
}
