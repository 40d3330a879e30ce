import {existsSync} from 'node:fs'

/** End-to-end tests run the built CLI, as a user would; make the missing build obvious. */
export default function setup(): void {
  if (!existsSync(new URL('../../dist/commands/scan.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests (`npm test` does it for you)')
  }
}
