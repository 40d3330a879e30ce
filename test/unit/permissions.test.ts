import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {scanPolicy} from '../../src/report/permissions.js'
import {MULTI_ACCOUNT_ACTIONS, SCAN_ACTIONS} from '../../src/scanners/index.js'

const SRC = new URL('../../src/', import.meta.url).pathname

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : []
  })
}

/** The IAM service prefix of each scanner file's SDK client. */
const SERVICE_OF_SCANNER: Record<string, string> = {'iam.ts': 'iam', 'emr.ts': 'elasticmapreduce', 'ec2.ts': 'ec2', 'secrets.ts': 'secretsmanager', 'sts.ts': 'sts', 'kms.ts': 'kms', 's3.ts': 's3', 'regions.ts': 'ec2', 'accounts.ts': 'organizations'}
/** SDK commands whose IAM action has another name. */
const ACTION_OF_COMMAND: Record<string, string> = {'s3:GetBucketEncryption': 's3:GetEncryptionConfiguration'}

function commandsSentBy(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/new (\w+)Command\(/g)].map((match) => match[1] as string)
}

describe('the permissions the scan needs', () => {
  it('every SDK command a scanner sends is declared beside it, and nothing else is', () => {
    const called = new Set<string>()
    for (const [file, service] of Object.entries(SERVICE_OF_SCANNER)) {
      for (const command of commandsSentBy(join(SRC, 'scanners', file))) called.add(ACTION_OF_COMMAND[`${service}:${command}`] ?? `${service}:${command}`)
    }
    // sts:AssumeRole is sent by the SDK's credential provider, not by a scanner.
    expect([...called].sort()).toEqual([...SCAN_ACTIONS, ...MULTI_ACCOUNT_ACTIONS.filter((action) => action !== 'sts:AssumeRole')].sort())
  })

  it('only scanners send AWS commands (rules, policy code and reports stay pure)', () => {
    const senders = sourceFiles(SRC).filter((file) => commandsSentBy(file).length > 0).map((file) => file.slice(SRC.length))
    expect(senders.sort()).toEqual(Object.keys(SERVICE_OF_SCANNER).map((file) => `scanners/${file}`).sort())
  })

  it('no code path can read a secret value', () => {
    // The action name may appear as data (rules ask whether a policy grants it); the SDK command may not.
    const offenders = sourceFiles(SRC).filter((file) => /GetSecretValueCommand|@aws-sdk\/client-secrets-manager['"].*GetSecretValue/.test(readFileSync(file, 'utf8')))
    expect(offenders).toEqual([])
  })

  it('the generated policy grants exactly the declared actions', () => {
    const granted = scanPolicy().Statement.flatMap((statement) => statement.Action)
    expect(granted.sort()).toEqual(SCAN_ACTIONS.filter((action) => action !== 'sts:GetCallerIdentity').sort())
    expect(scanPolicy({multiAccount: true}).Statement.flatMap((statement) => statement.Action)).toEqual(expect.arrayContaining(['sts:AssumeRole', 'organizations:ListAccounts']))
    expect(scanPolicy({partition: 'aws-cn'}).Statement.find((statement) => statement.Action.includes('s3:GetEncryptionConfiguration'))?.Resource).toBe('arn:aws-cn:s3:::*')
  })
})
