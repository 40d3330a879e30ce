import {readFileSync} from 'node:fs'

export const TOOL_NAME = 'emr-audit'

let cached: string | undefined

/** The package version, read once from package.json (two levels above this file in src/ and dist/). */
export function toolVersion(): string {
  if (cached === undefined) {
    const url = new URL('../../package.json', import.meta.url)
    cached = (JSON.parse(readFileSync(url, 'utf8')) as {version: string}).version
  }
  return cached
}
