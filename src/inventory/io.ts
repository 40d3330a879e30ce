import {TypeCompiler, type TypeCheck} from '@sinclair/typebox/compiler'
import {UserInputError} from '../shared/errors.js'
import {readJsonFile, readablePath, schemaProblems} from '../shared/validate.js'
import {INVENTORY_SCHEMA_VERSION, type Inventory, InventorySchema} from './schema.js'

// A saved inventory of 20,000 roles is checked by code compiled from the schema once, ten times faster than
// walking it with the schema; only an invalid one is walked again, to name the first problem.
let compiled: TypeCheck<typeof InventorySchema> | undefined
const inventoryCheck = (): TypeCheck<typeof InventorySchema> => (compiled ??= TypeCompiler.Compile(InventorySchema))

/** Validates a parsed inventory document; problems name the file and the place. */
export function parseInventory(value: unknown, label: string): Inventory {
  const version = (value as {schemaVersion?: unknown} | null)?.schemaVersion
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UserInputError(`${label}: not an emr-audit inventory (expected a JSON object)`)
  if (version !== INVENTORY_SCHEMA_VERSION) {
    throw new UserInputError(
      `${label}: unsupported inventory schemaVersion ${JSON.stringify(version)} (this emr-audit reads version ${INVENTORY_SCHEMA_VERSION})`,
    )
  }
  if (inventoryCheck().Check(value)) return value
  const [problem = {path: '', message: 'does not match the inventory schema'}] = schemaProblems(InventorySchema, value)
  throw new UserInputError(`${label}: invalid inventory at ${readablePath(problem.path) || 'top level'}: ${problem.message.toLowerCase()}`)
}

export async function readInventory(path: string): Promise<Inventory> {
  return parseInventory(await readJsonFile(path, 'inventory file'), path)
}
