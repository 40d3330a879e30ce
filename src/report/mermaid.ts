/**
 * Each cluster's and Studio's wiring as a Mermaid `flowchart`, for the Markdown report: GitHub draws it in
 * the job summary and in pull-request comments. Failing links are red and labelled with their rule ids;
 * failing resources have a red border and their rule ids under the name.
 */
import {forMarkdown as md, forMermaid as mm} from '../shared/escape.js'
import type {ScanReport} from './model.js'
import {NODE_KIND_LABEL, nodeCaption, type WiringGraph, wiringGraphs} from './wiring.js'

/** GitHub refuses step summaries over 1 MiB; a few diagrams say what a hundred would. */
export const MAX_MARKDOWN_DIAGRAMS = 20

const RED = '#d1242f'

export function mermaidFlowchart(graph: WiringGraph): string {
  const lines = ['flowchart LR']
  for (const node of graph.nodes) {
    const parts = [mm(node.label), mm(nodeCaption(node)), ...(node.failing ? [mm(node.ruleIds.join(' '))] : [])]
    lines.push(`  ${node.key}["${parts.join('<br/>')}"]`)
  }
  for (const edge of graph.edges) {
    const label = edge.failing ? `${edge.label}: ${edge.ruleIds.join(' ')}` : edge.label
    lines.push(`  ${edge.from} -->|"${mm(label)}"| ${edge.to}`)
  }
  const failingNodes = graph.nodes.filter((node) => node.failing).map((node) => node.key)
  if (failingNodes.length > 0) lines.push(`  classDef failing stroke:${RED},stroke-width:3px,color:${RED}`, `  class ${failingNodes.join(',')} failing`)
  for (const [index, edge] of graph.edges.entries()) if (edge.failing) lines.push(`  linkStyle ${index} stroke:${RED},stroke-width:3px,color:${RED}`)
  return lines.join('\n')
}

export function subjectTitle(graph: WiringGraph): string {
  const {subject} = graph
  const kind = NODE_KIND_LABEL[subject.kind]
  const where = [subject.id, subject.region, ...(subject.account ? [`account ${subject.account}`] : [])].join(', ')
  return subject.name && subject.name !== subject.id ? `${kind} ${subject.name} (${where})` : `${kind} ${where}`
}

/** The Markdown section: one diagram per cluster and Studio, those with failures first. */
export function wiringMarkdown(report: ScanReport): string[] {
  const graphs = wiringGraphs(report).sort((a, b) => Number(b.failing) - Number(a.failing))
  if (graphs.length === 0) return []
  const lines = ['### Wiring', '', 'Red: a failing check on that link or resource, with its rule ids.', '']
  for (const graph of graphs.slice(0, MAX_MARKDOWN_DIAGRAMS))
    lines.push(`#### ${md(subjectTitle(graph))}`, '', '```mermaid', mermaidFlowchart(graph), '```', '')
  const left = graphs.length - MAX_MARKDOWN_DIAGRAMS
  if (left > 0) lines.push(`${left} more clusters and Studios are drawn in the HTML report (\`--format html\`).`, '')
  return lines
}
