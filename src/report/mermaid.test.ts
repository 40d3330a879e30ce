import {describe, expect, it} from 'vitest'
import {cluster, emptyInventory, role, roleArn, withRoles} from '../../test/fixtures/inventory.js'
import {finding} from '../../test/fixtures/report.js'
import type {Finding} from '../findings/types.js'
import type {Inventory} from '../inventory/schema.js'
import {renderMarkdown} from './markdown.js'
import {MAX_MARKDOWN_DIAGRAMS} from './mermaid.js'
import {buildReport} from './model.js'
import {wiringTopology} from './wiring-topology.js'

/** Names an account can give its resources, each trying to leave the label, the line or the code fence. */
const HOSTILE = {
  cluster: 'x"] --> evil["pwned',
  group: '```\n## injected heading\n<script>alert(1)</script>',
  profile: 'p%%{init: {"theme": "dark"}}%%|`',
  role: 'svc#quot;; click n0 call evil()',
}

function hostileAccount(): Inventory {
  const inventory = withRoles(emptyInventory(), role({name: 'svc'}), role({name: 'ec2', profiles: [{name: 'ec2'}]}))
  inventory.emr.clusters.push(cluster({id: 'j-1', name: HOSTILE.cluster, serviceRole: 'svc', instanceProfile: 'ec2', emrManagedMasterSecurityGroup: 'sg-1'}))
  inventory.ec2.securityGroups.push({id: 'sg-1', name: HOSTILE.group, region: 'us-east-1', tags: [], ingress: []})
  return inventory
}

function markdownOf(inventory: Inventory, findings: Finding[]): string {
  return renderMarkdown(buildReport(inventory, findings, {includePassed: false, wiring: wiringTopology(inventory, {})}))
}

/** The body of each ```mermaid block. */
function mermaidBlocks(markdown: string): string[][] {
  const blocks: string[][] = []
  let current: string[] | undefined
  for (const line of markdown.split('\n')) {
    if (line === '```mermaid') current = []
    else if (line === '```' && current) {
      blocks.push(current)
      current = undefined
    } else current?.push(line)
  }
  return blocks
}

/** What Mermaid shows for a label: its entity codes decoded. */
const shown = (label: string): string => label.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))

const passRole = finding('EMR-PASSROLE-001', 'critical', 'fail', 'svc', {evidence: {passedRole: roleArn('ec2')}})

describe('Mermaid wiring diagrams in the Markdown report', () => {
  it('draws the failing link red with its rule id', () => {
    const [block] = mermaidBlocks(markdownOf(hostileAccount(), [passRole]))
    const edges = block?.filter((line) => line.includes('-->')) ?? []
    const failing = edges.findIndex((line) => line.includes('EMR-PASSROLE-001'))
    expect(edges[failing]).toMatch(/^ {2}n1 -->\|"passes: EMR-PASSROLE-001"\| n3$/)
    expect(block).toContain(`  linkStyle ${failing} stroke:#d1242f,stroke-width:3px,color:#d1242f`)
    expect(block?.filter((line) => line.includes('linkStyle'))).toHaveLength(1)
  })

  it('keeps hostile names inside their labels: one statement a line, no fence, comment or directive, shown as written', () => {
    const markdown = markdownOf(hostileAccount(), [passRole])
    const blocks = mermaidBlocks(markdown)
    expect(blocks).toHaveLength(1)
    const [block = []] = blocks
    for (const line of block) {
      expect(line).toMatch(
        /^(flowchart LR| {2}n\d+\["[^"]*"\]| {2}n\d+ -->\|"[^"]*"\| n\d+| {2}classDef failing .*| {2}class [n\d,]+ failing| {2}linkStyle \d+ .*)$/,
      )
      expect(line.replaceAll('<br/>', '').replace(' -->|', ' |')).not.toMatch(/[`<>]|%%/)
    }
    const names = block.flatMap((line) => [...line.matchAll(/\["([^"]*)"\]/g)].map((match) => shown(match[1] ?? '').split('<br/>')[0]))
    // Line breaks in a name are shown as \n, never as a new line of the diagram.
    expect(names).toEqual([HOSTILE.cluster, 'svc', 'ec2', 'ec2', 'sg-1 (```\\n## injected heading\\n<script>alert(1)</script>)'])
    expect(markdown).not.toContain('\n## injected heading')
  })

  it('escapes the profile and role names the same way', () => {
    const inventory = withRoles(emptyInventory(), role({name: HOSTILE.role}), role({name: HOSTILE.profile, profiles: [{name: HOSTILE.profile}]}))
    inventory.emr.clusters.push(cluster({id: 'j-2', serviceRole: HOSTILE.role, instanceProfile: HOSTILE.profile}))
    const [block = []] = mermaidBlocks(markdownOf(inventory, []))
    const nodes = block.filter((line) => line.includes('["'))
    expect(nodes.map((line) => shown(/\["([^"]*)"\]/.exec(line)?.[1] ?? '').split('<br/>')[0])).toEqual(['j-2', HOSTILE.role, HOSTILE.profile, HOSTILE.profile])
    expect(block.filter((line) => !/^ {2}n\d+(\["[^"]*"\]| -->\|"[^"]*"\| n\d+)$/.test(line))).toEqual(['flowchart LR'])
    expect(block.join('\n')).not.toContain('%%')
  })

  it(`draws at most ${MAX_MARKDOWN_DIAGRAMS} diagrams, failing clusters first, and says how many more there are`, () => {
    const inventory = emptyInventory()
    for (let index = 0; index < MAX_MARKDOWN_DIAGRAMS + 3; index++) inventory.emr.clusters.push(cluster({id: `j-${index}`}))
    const late = `j-${MAX_MARKDOWN_DIAGRAMS + 2}`
    const markdown = markdownOf(inventory, [finding('EMR-CLUSTER-002', 'high', 'fail', late, {resource: {type: 'emr-cluster', id: late, region: 'us-east-1'}})])
    expect(mermaidBlocks(markdown)).toHaveLength(MAX_MARKDOWN_DIAGRAMS)
    expect(mermaidBlocks(markdown)[0]?.[1]).toContain(`["${late}<br/>cluster`)
    expect(markdown).toContain('3 more clusters and Studios are drawn in the HTML report')
  })

  it('has no wiring section when the report has no wiring', () => {
    expect(renderMarkdown(buildReport(emptyInventory(), [], {includePassed: false}))).not.toContain('### Wiring')
  })
})
