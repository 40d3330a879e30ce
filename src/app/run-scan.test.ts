import {beforeEach, describe, expect, it, vi} from 'vitest'
import {emptyInventory} from '../../test/fixtures/inventory.js'

// Account scanning is replaced so one account can fail on purpose; everything after it is real.
const scanned: string[] = []
vi.mock('./scan.js', () => ({
  scanAccount: vi.fn(async ({clients}: {clients: {account: string}}) => {
    scanned.push(clients.account)
    if (clients.account === '222222222222') throw new Error('AccessDenied: not authorized to perform sts:AssumeRole')
    const inventory = emptyInventory()
    inventory.account.id = clients.account
    return inventory
  }),
}))
vi.mock('../aws/clients.js', async (original) => ({
  ...(await original<typeof import('../aws/clients.js')>()),
  assumedRoleCredentials: vi.fn(async ({roleArn}: {roleArn: string}) => roleArn.split(':')[4]),
  createAwsClients: vi.fn(async ({credentials}: {credentials: string}) => ({account: credentials})),
}))

const {runScan} = await import('./run-scan.js')
const {exitCodeFor} = await import('../report/model.js')

describe('multi-account scans', () => {
  beforeEach(() => {
    scanned.length = 0
  })

  it('one account failing is recorded for that account; the others are scanned and reported', async () => {
    const {report} = await runScan({
      config: {},
      regions: ['us-east-1'],
      concurrency: 2,
      includePassed: false,
      accounts: ['111111111111', '222222222222', '333333333333'],
      assumeRole: 'Audit',
    })
    expect(scanned.sort()).toEqual(['111111111111', '222222222222', '333333333333'])
    expect(report.accounts).toEqual([
      expect.objectContaining({id: '111111111111', status: 'scanned'}),
      expect.objectContaining({id: '333333333333', status: 'scanned'}),
      {id: '222222222222', status: 'failed', error: 'AccessDenied: not authorized to perform sts:AssumeRole', regions: []},
    ])
    // Nothing failed, but an account is missing from the report: incomplete.
    expect(exitCodeFor(report, 'info')).toBe(3)
  })

  it('when no account can be scanned the run stops with the first failure', async () => {
    await expect(
      runScan({config: {}, regions: ['us-east-1'], concurrency: 2, includePassed: false, accounts: ['222222222222'], assumeRole: 'Audit'}),
    ).rejects.toThrow('no account could be scanned; first failure: 222222222222: AccessDenied')
  })
})
