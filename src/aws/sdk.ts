/**
 * The AWS SDK packages a scan uses, loaded on first use and with require(). The packages are CommonJS:
 * through the ESM loader, Node (20.19+) first parses each package's entry to detect its module format,
 * then compiles it, then scans it for named exports — EC2's is about 2 MB — which made loading them most
 * of a scan's start-up. require() compiles each once, and only for the services a run uses.
 */
import {createRequire} from 'node:module'
import {ownValue} from '../shared/lookup.js'

const require = createRequire(import.meta.url)

export const sdk = {
  sts: () => require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts'),
  iam: () => require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam'),
  emr: () => require('@aws-sdk/client-emr') as typeof import('@aws-sdk/client-emr'),
  ec2: () => require('@aws-sdk/client-ec2') as typeof import('@aws-sdk/client-ec2'),
  secretsManager: () => require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager'),
  kms: () => require('@aws-sdk/client-kms') as typeof import('@aws-sdk/client-kms'),
  s3: () => require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3'),
}

export type Service = keyof typeof sdk

/** IAM action prefixes of the services above (the prefix of every action a source declares). */
const SERVICE_OF_PREFIX: Readonly<Record<string, Service>> = {
  sts: 'sts',
  iam: 'iam',
  elasticmapreduce: 'emr',
  ec2: 'ec2',
  secretsmanager: 'secretsManager',
  kms: 'kms',
  s3: 's3',
}

/** The service whose SDK package sends an action (`elasticmapreduce:ListClusters` → emr); undefined for others. */
export function serviceOfAction(action: string): Service | undefined {
  const prefix = action.split(':')[0] ?? ''
  return ownValue(SERVICE_OF_PREFIX, prefix)
}

/**
 * IAM first: its GetAccountAuthorizationDetails pages are a scan's slowest reads, so its request should be
 * on the wire while the other packages load (EC2's alone takes a few hundred milliseconds of CPU).
 */
const LOAD_ORDER: readonly Service[] = ['iam', 'sts', 'emr', 'ec2', 'secretsManager', 'kms', 's3']

const requested = new Map<Service, Promise<void>>()
const waiting = new Map<Service, () => void>()
let draining = false

/**
 * Resolves once the service's package is loaded. Packages asked for in the same turn load in LOAD_ORDER,
 * with event-loop turns between them, so a request sent as soon as its package is in reaches the socket
 * before the next package's compile holds the thread. Never rejects: a package that fails to load fails again, with
 * its error, where the scanner uses it.
 */
export function sdkLoaded(service: Service): Promise<void> {
  let loaded = requested.get(service)
  if (!loaded) {
    loaded = new Promise<void>((resolve) => waiting.set(service, resolve))
    requested.set(service, loaded)
    if (!draining) {
      draining = true
      setImmediate(loadNext)
    }
  }
  return loaded
}

function loadNext(): void {
  const next = LOAD_ORDER.find((service) => waiting.has(service))
  if (!next) {
    draining = false
    return
  }
  const resolve = waiting.get(next) as () => void
  waiting.delete(next)
  try {
    sdk[next]()
  } catch {
    // reported by the scanner that needs it
  }
  resolve()
  // The source that awaited this package sends its first request in the turn that follows; the package
  // after it loads one turn later, once that request has reached the socket.
  setImmediate(() => setImmediate(loadNext))
}
