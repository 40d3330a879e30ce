#!/usr/bin/env node
// emr-audit is Apache-2.0. This fails when
//  - any installed package, runtime or development, is under the GPL family (GPL, LGPL, AGPL), or
//  - a runtime dependency (what users install) is under any copyleft or reciprocal licence (MPL, EPL, ...)
//    or under no known licence.
// Development-only tools under file-level licences such as MPL-2.0 (lightningcss, via vitest) are allowed:
// they are never shipped or linked into emr-audit. A choice such as "(MIT OR GPL-3.0)" is fine.
import {promisify} from 'node:util'
import * as checker from 'license-checker-rseidelsohn'

const GPL_FAMILY = /\b(A|L)?GPL/i
const RECIPROCAL = /\b(A|L)?GPL|\bEUPL|\bCDDL|\bEPL|\bMPL|\bOSL|\bSSPL|\bCC-BY-SA|UNKNOWN|UNLICENSED/i

function allowed(licenses, forbidden) {
  const list = Array.isArray(licenses) ? licenses : [licenses ?? 'UNKNOWN']
  return list.every((expression) =>
    String(expression)
      .replace(/[()]/g, '')
      .split(/\s+OR\s+/i)
      .some((choice) => !forbidden.test(choice)),
  )
}

const scan = promisify(checker.init)
const options = {start: process.cwd(), excludePrivatePackages: true}
const [everything, runtime] = await Promise.all([scan(options), scan({...options, production: true})])
const offending = [
  ...Object.entries(everything).filter(([, info]) => !allowed(info.licenses, GPL_FAMILY)),
  ...Object.entries(runtime).filter(([, info]) => !allowed(info.licenses, RECIPROCAL)),
]
if (offending.length > 0) {
  console.error('Dependencies whose licence emr-audit (Apache-2.0) cannot take:')
  for (const [name, info] of offending) console.error(`  ${name}: ${info.licenses}`)
  process.exit(1)
}
console.log(`licences: ${Object.keys(everything).length} packages checked (${Object.keys(runtime).length} runtime), none copyleft`)
