import {describe, expect, it} from 'vitest'
import {sdk, sdkLoaded, serviceOfAction} from './sdk.js'

describe('serviceOfAction', () => {
  it('names the SDK package of each action prefix a source declares', () => {
    expect(serviceOfAction('elasticmapreduce:ListClusters')).toBe('emr')
    expect(serviceOfAction('secretsmanager:ListSecrets')).toBe('secretsManager')
    expect(serviceOfAction('iam:GetAccountAuthorizationDetails')).toBe('iam')
    expect(serviceOfAction('s3:GetEncryptionConfiguration')).toBe('s3')
  })

  it('knows no other service, nor an inherited property name', () => {
    expect(serviceOfAction('securityhub:BatchImportFindings')).toBeUndefined()
    expect(serviceOfAction('constructor:Anything')).toBeUndefined()
    expect(serviceOfAction('toString')).toBeUndefined()
  })
})

describe('sdkLoaded', () => {
  it('loads the packages asked for in one turn IAM first, one per event-loop turn', async () => {
    const events: string[] = []
    const watch = (service: Parameters<typeof sdkLoaded>[0]) =>
      sdkLoaded(service).then(() => {
        events.push(service)
        // Runs before the next package loads only if the loader yields a whole turn between packages.
        setImmediate(() => events.push(`turn after ${service}`))
      })
    await Promise.all([watch('ec2'), watch('s3'), watch('iam'), watch('emr')])
    expect(events).toEqual(['iam', 'turn after iam', 'emr', 'turn after emr', 'ec2', 'turn after ec2', 's3'])
  })

  it('resolves once the package can be used, and again at once for a package already loaded', async () => {
    await sdkLoaded('sts')
    expect(typeof sdk.sts().GetCallerIdentityCommand).toBe('function')
    let resolved = false
    const again = sdkLoaded('sts').then(() => (resolved = true))
    await again
    expect(resolved).toBe(true)
  })
})
