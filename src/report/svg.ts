/**
 * A wiring graph as inline SVG for the HTML report, laid out here (no external renderer): each node in the
 * column of its longest path from the cluster or Studio, stacked in the order the model lists them; links
 * are curves from column to column. Failing links and resources carry the class `fail` (drawn red) and
 * their rule ids. Only classes and geometry attributes are written, never `style`, so the page's
 * Content-Security-Policy needs no 'unsafe-inline'.
 */
import {forHtml as html} from '../shared/escape.js'
import {nodeCaption, type WiringGraph, type WiringNode} from './wiring.js'

const NODE_WIDTH = 250
/** Name and caption; each line of rule ids adds RULE_LINE. */
const NODE_BASE_HEIGHT = 44
const RULE_LINE = 14
const RULES_PER_LINE = 2
/** Room for a link's label and rule ids between two columns. */
const COLUMN_GAP = 280
const ROW_GAP = 22
const MARGIN = 16
/** Longer names are cut in the box; the full name is in its tooltip. */
const MAX_LABEL = 30

interface Placed {
  node: WiringNode
  x: number
  y: number
  height: number
}

function ruleLines(node: WiringNode): string[][] {
  const lines: string[][] = []
  for (let index = 0; node.failing && index < node.ruleIds.length; index += RULES_PER_LINE) lines.push(node.ruleIds.slice(index, index + RULES_PER_LINE))
  return lines
}

/** Column of each node: the longest path to it from the root (the graph has no cycles: links point away from the root). */
function columns(graph: WiringGraph): Map<string, number> {
  const column = new Map(graph.nodes.map((node, index) => [node.key, index === 0 ? 0 : 1]))
  for (let pass = 0; pass < graph.nodes.length; pass++) {
    let changed = false
    for (const edge of graph.edges) {
      const next = (column.get(edge.from) ?? 0) + 1
      if (next > (column.get(edge.to) ?? 0) && next < graph.nodes.length) {
        column.set(edge.to, next)
        changed = true
      }
    }
    if (!changed) break
  }
  return column
}

function place(graph: WiringGraph): Placed[] {
  const column = columns(graph)
  const nextY = new Map<number, number>()
  return graph.nodes.map((node) => {
    const index = column.get(node.key) ?? 0
    const y = nextY.get(index) ?? MARGIN
    const height = NODE_BASE_HEIGHT + ruleLines(node).length * RULE_LINE
    nextY.set(index, y + height + ROW_GAP)
    return {node, x: MARGIN + index * (NODE_WIDTH + COLUMN_GAP), y, height}
  })
}

const shorten = (text: string): string =>
  Array.from(text).length > MAX_LABEL
    ? `${Array.from(text)
        .slice(0, MAX_LABEL - 1)
        .join('')}…`
    : text

function nodeSvg({node, x, y, height}: Placed): string {
  const rules = ruleLines(node).map((line, index) => `<text class="rules" x="${x + 10}" y="${y + 51 + index * RULE_LINE}">${html(line.join(' '))}</text>`)
  return [
    `<g class="node ${node.kind}${node.failing ? ' fail' : ''}" data-label="${html(node.label)}" data-rules="${html(node.ruleIds.join(' '))}">`,
    `<title>${html(`${node.label} (${nodeCaption(node)})${node.failing ? `: ${node.ruleIds.join(', ')}` : ''}`)}</title>`,
    `<rect x="${x}" y="${y}" width="${NODE_WIDTH}" height="${height}" rx="6"/>`,
    `<text class="name" x="${x + 10}" y="${y + 19}">${html(shorten(node.label))}</text>`,
    `<text class="caption" x="${x + 10}" y="${y + 35}">${html(nodeCaption(node))}</text>`,
    ...rules,
    '</g>',
  ].join('')
}

/** `id` makes the arrow markers' ids unique in a page holding several diagrams. */
export function wiringSvg(graph: WiringGraph, id: string, title: string): string {
  const placed = place(graph)
  const at = new Map(placed.map((entry) => [entry.node.key, entry]))
  const width = Math.max(...placed.map((entry) => entry.x)) + NODE_WIDTH + MARGIN
  const height = Math.max(...placed.map((entry) => entry.y + entry.height)) + MARGIN
  const incoming = (key: string) => graph.edges.filter((edge) => edge.to === key)
  const edges = graph.edges.map((edge) => {
    const from = at.get(edge.from)
    const to = at.get(edge.to)
    if (!from || !to) return ''
    // Links into one node end at different heights of its side, so their labels do not overlap.
    const siblings = incoming(edge.to)
    const [x1, y1, x2] = [from.x + NODE_WIDTH, from.y + Math.min(from.height, NODE_BASE_HEIGHT + 14) / 2, to.x]
    const y2 = to.y + ((siblings.indexOf(edge) + 1) * Math.min(to.height, NODE_BASE_HEIGHT + 14)) / (siblings.length + 1)
    const bend = (x2 - x1) / 2
    const label = edge.failing ? `${edge.label}: ${edge.ruleIds.join(' ')}` : edge.label
    return [
      `<g class="edge${edge.failing ? ' fail' : ''}" data-from="${html(from.node.label)}" data-to="${html(to.node.label)}" data-rules="${html(edge.ruleIds.join(' '))}">`,
      `<path d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" marker-end="url(#${id}-${edge.failing ? 'fail' : 'ok'})"/>`,
      `<text x="${x2 - 12}" y="${y2 - 4}" text-anchor="end">${html(label)}</text>`,
      '</g>',
    ].join('')
  })
  const marker = (kind: 'ok' | 'fail') =>
    `<marker id="${id}-${kind}" class="arrow ${kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`
  return [
    `<svg class="wiring" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${html(title)}">`,
    `<defs>${marker('ok')}${marker('fail')}</defs>`,
    ...edges,
    ...placed.map(nodeSvg),
    '</svg>',
  ].join('\n')
}
