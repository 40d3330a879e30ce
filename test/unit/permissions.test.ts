import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {scanPolicy} from '../../src/report/permissions.js'
import {MULTI_ACCOUNT_ACTIONS, SCAN_ACTIONS} from '../../src/scanners/index.js'
import {FIX_READ_ACTIONS} from '../../src/fix/aws.js'
import {allowedFixWrites, FIX_READS, FIX_WRITE_ACTIONS} from '../../src/fix/permissions.js'

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

  it('only scanners and the fix executor send AWS commands (rules, planner and reports stay pure)', () => {
    const senders = sourceFiles(SRC).filter((file) => commandsSentBy(file).length > 0).map((file) => file.slice(SRC.length))
    expect(senders.sort()).toEqual([...Object.keys(SERVICE_OF_SCANNER).map((file) => `scanners/${file}`), 'fix/aws.ts'].sort())
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

/** The IAM service prefix of each SDK package the executor imports commands from. */
const SERVICE_OF_PACKAGE: Record<string, string> = {'client-ec2': 'ec2', 'client-emr': 'elasticmapreduce', 'client-iam': 'iam', 'client-secrets-manager': 'secretsmanager', 'client-sts': 'sts'}

/** Each SDK command src/fix/aws.ts sends, as the IAM action it is. */
function actionsSentByExecutor(): string[] {
  const text = readFileSync(join(SRC, 'fix', 'aws.ts'), 'utf8')
  const serviceOf = new Map<string, string>()
  for (const match of text.matchAll(/import (?:type )?\{([^}]+)\} from '@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
    for (const name of (match[1] ?? '').split(',').map((entry) => entry.trim())) serviceOf.set(name, SERVICE_OF_PACKAGE[match[2] ?? ''] ?? '?')
  }
  for (const match of text.matchAll(/const \{([^}]+)\} = await import\('@aws-sdk\/(client-[a-z0-9-]+)'\)/g)) {
    for (const name of (match[1] ?? '').split(',').map((entry) => entry.trim())) serviceOf.set(name, SERVICE_OF_PACKAGE[match[2] ?? ''] ?? '?')
  }
  return [...new Set(commandsSentBy(join(SRC, 'fix', 'aws.ts')).map((command) => `${serviceOf.get(`${command}Command`) ?? '?'}:${command}`))].sort()
}

describe('the permissions fix --apply and rollback need', () => {
  it('every SDK command the executor sends is declared (writes, read-backs, the caller identity)', () => {
    const declared = [...FIX_WRITE_ACTIONS, ...FIX_READS, 'sts:GetCallerIdentity']
    expect(actionsSentByExecutor()).toEqual([...new Set(declared)].sort())
  })

  it('each write is registered under the action its command performs', () => {
    const text = readFileSync(join(SRC, 'fix', 'aws.ts'), 'utf8')
    for (const action of FIX_WRITE_ACTIONS) {
      const command = action.split(':')[1]
      expect(text).toMatch(new RegExp(`'${action}': \\([^)]*\\) =>\\s*clients\\.\\w+\\(region\\)\\.send\\(new ${command}Command\\(`))
    }
  })

  it('the fix policy allows exactly the writes the executor can send, scoped, and denies service-linked roles', () => {
    expect(allowedFixWrites()).toEqual([...FIX_WRITE_ACTIONS].sort())
    const policy = scanPolicy({fix: {account: '111122223333'}})
    const tagging = policy.Statement.find((statement) => statement.Sid === 'EmrAuditTagNetworkWithV2TagOnly')
    expect(tagging?.Condition?.['ForAllValues:StringEquals']).toEqual({'aws:TagKeys': ['for-use-with-amazon-emr-managed-policies']})
    expect(JSON.stringify(policy)).toContain('arn:aws:iam::111122223333:role/aws-service-role/*')
    expect(policy.Statement.find((statement) => statement.Effect === 'Deny')?.Action).toEqual(expect.arrayContaining(['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy']))
    // Every read the executor makes is granted by the scan policy or the fix statements.
    const granted = new Set(policy.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => statement.Action))
    for (const action of Object.values(FIX_READ_ACTIONS).flat()) expect(granted.has(action), action).toBe(true)
  })
})
