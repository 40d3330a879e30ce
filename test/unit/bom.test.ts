/** Editors on Windows save UTF-8 with a byte-order mark: every JSON file emr-audit reads accepts one. */
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readReport} from '../../src/app/merge.js'
import {loadConfig} from '../../src/app/load-config.js'
import {analyze} from '../../src/app/analyze.js'
import {readPlan} from '../../src/app/run-fix.js'
import {readJournal} from '../../src/fix/journal.js'
import {journalDigest} from '../../src/fix/verify.js'
import {planFixes} from '../../src/fix/planner.js'
import {JOURNAL_SCHEMA_VERSION} from '../../src/fix/types.js'
import {readInventory} from '../../src/inventory/io.js'
import {readBaselineFingerprints} from '../../src/report/baseline.js'
import {renderJson} from '../../src/report/json.js'
import {emptyInventory} from '../fixtures/inventory.js'
import {sampleReport} from '../fixtures/report.js'

const dir = await mkdtemp(join(tmpdir(), 'emr-audit-bom-'))
const BOM = '\uFEFF'

async function withBom(name: string, value: unknown): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, `${BOM}${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}`, 'utf8')
  return path
}

describe('a leading UTF-8 byte-order mark', () => {
  const inventory = emptyInventory()
  const plan = planFixes(analyze(inventory, {config: {}}), inventory, {config: {}, now: new Date()})
  const journalContent = {
    schemaVersion: JOURNAL_SCHEMA_VERSION as typeof JOURNAL_SCHEMA_VERSION,
    tool: {name: 'emr-audit', version: '0.0.0-test'},
    account: inventory.account.id,
    partition: 'aws',
    homeRegion: 'us-east-1',
    startedAt: '2026-01-01T00:00:00.000Z',
    entries: [],
  }
  const journal = {...journalContent, digest: journalDigest(journalContent)}

  it('is accepted in an inventory', async () => expect(await readInventory(await withBom('inventory.json', inventory))).toEqual(inventory))
  it('is accepted in a plan', async () => expect(await readPlan(await withBom('plan.json', plan))).toEqual(plan))
  it('is accepted in a journal', async () => expect(await readJournal(await withBom('journal.json', journal))).toEqual(journal))
  it('is accepted in a report to merge', async () =>
    expect(await readReport(await withBom('report.json', renderJson(sampleReport())))).toEqual(JSON.parse(renderJson(sampleReport()))))
  it('is accepted in a baseline', async () =>
    expect((await readBaselineFingerprints(await withBom('baseline.json', renderJson(sampleReport())))).size).toBeGreaterThan(0))
  it('is accepted in a JSON config', async () =>
    expect(await loadConfig(await withBom('config.json', {regions: ['eu-west-1']}))).toEqual({regions: ['eu-west-1']}))
  it('is accepted in a YAML config', async () =>
    expect(await loadConfig(await withBom('config.yaml', 'regions: [eu-west-1]\n'))).toEqual({regions: ['eu-west-1']}))
  it('only at the start: anywhere else the file is still not JSON', async () => {
    await expect(readInventory(await withBom('twice.json', `${BOM}{}`))).rejects.toThrow(/not valid JSON/)
  })
})
