import {ORGANIZATION_ACTIONS} from './accounts.js'
import {REGION_ACTIONS} from './regions.js'
import {SOURCES} from './sources.js'

/** Every IAM action the scan calls, declared beside each source; the read-only policy is built from it. */
export const SCAN_ACTIONS: readonly string[] = [...new Set([...SOURCES.flatMap((source) => source.actions), ...REGION_ACTIONS])]

/** What the caller (not the scanned accounts) additionally needs for --accounts / --organization. */
export const MULTI_ACCOUNT_ACTIONS: readonly string[] = ['sts:AssumeRole', ...ORGANIZATION_ACTIONS]

export * from './context.js'
export {organizationAccounts} from './accounts.js'
export {SOURCES} from './sources.js'
export {defineSource, type Source, type SourceContext, type SourceResults} from './source.js'
export {runSources, type SourceRun} from './scheduler.js'
export {assembleInventory} from './assemble.js'
export {isAwsManagedPolicyArn} from './iam.js'
export {enabledRegions} from './regions.js'
