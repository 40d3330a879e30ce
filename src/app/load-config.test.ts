import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {UserInputError} from '../shared/errors.js'
import {loadConfig, parseConfig} from './load-config.js'

const parse = (text: string) => parseConfig(text, 'audit.yaml')

describe('config files', () => {
  it('reads the documented YAML', () => {
    const config = parse(`regions: [us-east-1, eu-west-1]
studios:
  - id: analytics
    region: us-east-1
    authMode: SSO
    serviceRole: emr-studio-service
    subnetIds: [subnet-1]
    defaultS3Location: s3://bucket/prefix
    gitSecrets: [emr-studio-token]
runtimeRoles: [arn:aws:iam::123456789012:role/runtime]
securityConfigurations: [secure]
`)
    expect(config.regions).toEqual(['us-east-1', 'eu-west-1'])
    expect(config.studios?.[0]).toMatchObject({id: 'analytics', authMode: 'SSO', gitSecrets: ['emr-studio-token']})
  })

  it('reads JSON too, and an empty file as an empty config', () => {
    expect(parse('{"runtimeRoles": ["r"]}')).toEqual({runtimeRoles: ['r']})
    expect(parse('')).toEqual({})
  })

  it.each([
    ['a YAML syntax error, with its line', 'regions: [us-east-1\nstudios: x\n', /^audit\.yaml: line \d+, column \d+: /],
    ['an unknown top-level key', 'region: [us-east-1]\n', "audit.yaml: unknown key 'region'"],
    ['an unknown nested key', 'studios:\n  - id: a\n    region: us-east-1\n    vpc: vpc-1\n', "audit.yaml: unknown key 'studios[0].vpc'"],
    ['a wrong type', 'regions: us-east-1\n', /audit\.yaml: regions: expected array/],
    ['a wrong enum value', 'studios:\n  - id: a\n    region: us-east-1\n    authMode: LDAP\n', /audit\.yaml: studios\[0\]\.authMode: /],
    ['a missing required key', 'studios:\n  - region: us-east-1\n', /audit\.yaml: studios\[0\]/],
    ['a region that is not one', 'regions: [us-east-1, mars-north-1]\n', "audit.yaml: regions[1]: 'mars-north-1' is not an AWS region"],
    ['a duplicate key', 'regions: [us-east-1]\nregions: [eu-west-1]\n', /audit\.yaml: line 2/],
    ['a top-level list', '- a\n- b\n', /audit\.yaml: /],
    [
      'a suppression without a reason',
      'suppressions:\n  - {ruleId: EMR-TAG-001, resource: subnet-1, expires: "2026-12-31"}\n',
      /audit\.yaml: suppressions\[0\]/,
    ],
    [
      'a suppression with an impossible date',
      'suppressions:\n  - {ruleId: EMR-TAG-001, resource: subnet-1, reason: r, expires: "2026-02-30"}\n',
      "audit.yaml: suppressions[0].expires: '2026-02-30' is not a calendar date (YYYY-MM-DD)",
    ],
    [
      'a suppression with a date in another form',
      'suppressions:\n  - {ruleId: EMR-TAG-001, resource: subnet-1, reason: r, expires: "31/12/2026"}\n',
      /audit\.yaml: suppressions\[0\]\.expires: /,
    ],
    [
      'a suppression by name without a resource type',
      'suppressions:\n  - {ruleId: EMR-CLUSTER-004, resource: "name:etl-*", reason: r, expires: "2026-12-31"}\n',
      /^audit\.yaml: suppressions\[0\]: resource 'name:etl-\*' matches by name, so it needs resourceType \(one of .*emr-cluster/,
    ],
    [
      'a suppression by an empty name',
      'suppressions:\n  - {ruleId: EMR-CLUSTER-004, resource: "name:", resourceType: emr-cluster, reason: r, expires: "2026-12-31"}\n',
      "audit.yaml: suppressions[0].resource: 'name:' needs a name after it",
    ],
    [
      'a suppression with an unknown resource type',
      'suppressions:\n  - {ruleId: EMR-CLUSTER-004, resource: "name:etl", resourceType: cluster, reason: r, expires: "2026-12-31"}\n',
      /audit\.yaml: suppressions\[0\]\.resourceType: /,
    ],
  ])('rejects %s with a message naming it', (_label, text, message) => {
    let error: unknown
    try {
      parse(text)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(UserInputError)
    if (typeof message === 'string') expect((error as Error).message).toBe(message)
    else expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('\n')
  })

  it('a missing file is a clear error', async () => {
    await expect(loadConfig('/nonexistent/audit.yaml')).rejects.toThrow('cannot read config file /nonexistent/audit.yaml: ENOENT')
  })

  it('loads a file from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emr-audit-config-'))
    await writeFile(join(dir, 'c.yml'), 'ec2Roles: [x]\n')
    expect(await loadConfig(join(dir, 'c.yml'))).toEqual({ec2Roles: ['x']})
  })
})
