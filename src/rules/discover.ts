/**
 * Modules found by their file name in a folder, so that adding a rule or a remediation touches its own
 * file only (Prowler finds its checks by folder convention). Works on the sources under vitest (.ts) and
 * on the build (.js); declaration files and tests never match.
 */
import {readdirSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

export interface Found {
  /** The module's base name, without its extension. */
  name: string
  /** Its default export, unchecked: the caller decides what it must be. */
  value: unknown
}

const SOURCE = /^(?<name>[a-z0-9-]+)\.(?:js|ts)$/

/** The default export of every module in `folder` whose base name matches `name`, sorted by name. */
export async function defaultExportsIn(folder: URL, name: RegExp): Promise<Found[]> {
  const files = readdirSync(fileURLToPath(folder))
    .flatMap((file) => {
      const base = SOURCE.exec(file)?.groups?.['name']
      return base !== undefined && name.test(base) ? [{file, name: base}] : []
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return Promise.all(
    files.map(async ({file, name: base}) => ({name: base, value: ((await import(new URL(file, folder).href)) as {default?: unknown}).default})),
  )
}
