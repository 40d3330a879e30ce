/** Flags every command that talks to an account shares, defined once so their wording never drifts. */
import {Flags} from '@oclif/core'

export const accountFlags = {
  config: Flags.string({char: 'c', summary: 'Config file (YAML or JSON).', helpValue: 'FILE'}),
  region: Flags.string({char: 'r', summary: 'Region to scan (repeatable). Default: the config\'s regions, else the SDK\'s region.', multiple: true, helpValue: 'REGION'}),
  profile: Flags.string({char: 'p', summary: 'AWS profile to use.', helpValue: 'NAME'}),
  'endpoint-url': Flags.string({summary: 'Send every AWS call to this endpoint (emulators, tests). AWS_ENDPOINT_URL works too.', helpValue: 'URL'}),
  debug: Flags.boolean({summary: 'Print stack traces for errors.', default: false}),
}
