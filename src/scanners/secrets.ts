/**
 * Secrets Manager metadata and tags, per region. ListSecrets never returns secret values, and nothing in
 * emr-audit calls GetSecretValue: a test greps the code for it.
 */
import {sdk} from '../aws/sdk.js'
import type {Secret} from '../inventory/schema.js'
import {toTags} from '../inventory/tags.js'
import {call, runSource, type ScanContext} from './context.js'
import {byNextToken, collectPages} from './pagination.js'
import {defineSource} from './source.js'

function scanSecrets(ctx: ScanContext, region: string): Promise<Secret[] | undefined> {
  const {ListSecretsCommand} = sdk.secretsManager()
  const client = ctx.clients.secretsManager(region)
  return runSource(ctx, 'secretsmanager.secrets', region, () =>
    collectPages(
      (token) =>
        call(ctx, 'secretsmanager', region, 'secretsmanager:ListSecrets', () => client.send(new ListSecretsCommand({MaxResults: 100, NextToken: token}))),
      byNextToken,
      (page) => (page.SecretList ?? []).flatMap((entry) => (entry.ARN ? [{arn: entry.ARN, name: entry.Name ?? '', region, tags: toTags(entry.Tags)}] : [])),
    ),
  )
}

/** All of the region's secrets are listed; only those Studios may use are kept (see assemble.ts). */
export const secretsSource = defineSource({
  id: 'secretsmanager.secrets',
  actions: ['secretsmanager:ListSecrets'],
  scope: 'regional',
  dependsOn: [],
  collect: (ctx) => scanSecrets(ctx, ctx.region),
})
