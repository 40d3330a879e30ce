/**
 * The demo account shipped with the package (examples/demo/): a saved inventory of an EMR setup with a
 * dozen typical mistakes and the config it was scanned with, so `scan --demo` and `fix --demo` show real
 * findings with no AWS account, credentials or network.
 */
import {fileURLToPath} from 'node:url'

// From src/app (tests) and dist/app (the built CLI) alike, the package root is two levels up.
const root = new URL('../../', import.meta.url)

export const DEMO_INVENTORY = fileURLToPath(new URL('examples/demo/inventory.json', root))
export const DEMO_CONFIG_FILE = fileURLToPath(new URL('examples/demo/emr-audit.yaml', root))
