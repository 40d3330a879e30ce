/**
 * The HTML report's one stylesheet and one script. The page's Content-Security-Policy allows exactly
 * these two (by their SHA-256), so nothing else can run or style the page, whatever the report holds.
 * The script reads the findings' keys from the page's JSON data block and only sets `hidden`, moves rows
 * and writes `textContent`: no markup is ever built from data.
 */

export const STYLESHEET = `
:root { --fail: #c62828; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa;
  --critical: #8e0000; --high: #c62828; --medium: #b45309; --low: #1d4ed8; --info: #4b5563; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; padding: 1.5rem; max-width: 1400px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.meta, .note { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; list-style: none; padding: 0; margin: 0 0 1rem; }
.cards li { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; min-width: 7.5rem; background: var(--bg); }
.cards .count { display: block; font-size: 1.6rem; font-weight: 600; }
.sev-critical .count, td.sev-critical { color: var(--critical); }
.sev-high .count, td.sev-high { color: var(--high); }
.sev-medium .count, td.sev-medium { color: var(--medium); }
.sev-low .count, td.sev-low { color: var(--low); }
.sev-info .count, td.sev-info { color: var(--info); }
table { border-collapse: collapse; width: 100%; margin: 0 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--bg); }
td.num, th.num { text-align: right; }
table.compact { width: auto; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: end; margin: 0 0 .75rem; }
.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
.filters select { font: inherit; min-width: 9rem; }
td.status-fail { color: var(--fail); font-weight: 600; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--bg); padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
details summary { cursor: pointer; }
details h4 { margin: .5rem 0 .25rem; font-size: .9rem; }
.resource { word-break: break-all; min-width: 16rem; }
td > code { white-space: nowrap; }
figure { margin: 0 0 1.5rem; overflow-x: auto; }
figcaption { font-weight: 600; margin: 0 0 .25rem; }
svg.wiring { font: 12px system-ui, sans-serif; max-width: none; }
svg.wiring .node rect { fill: #fff; stroke: #8c959f; stroke-width: 1.5; }
svg.wiring .node.cluster rect, svg.wiring .node.studio rect { fill: #eef4ff; }
svg.wiring .node .name { font-weight: 600; fill: var(--ink); }
svg.wiring .node .caption { fill: var(--muted); font-size: 11px; }
svg.wiring .node .rules { fill: var(--fail); font-size: 11px; font-weight: 600; }
svg.wiring .node.fail rect { stroke: var(--fail); stroke-width: 3; }
svg.wiring .edge path { fill: none; stroke: #8c959f; stroke-width: 1.5; }
svg.wiring .edge text { fill: var(--muted); font-size: 11px; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
svg.wiring .edge.fail path { stroke: var(--fail); stroke-width: 3; }
svg.wiring .edge.fail text { fill: var(--fail); font-weight: 600; }
svg.wiring .arrow.ok path { fill: #8c959f; }
svg.wiring .arrow.fail path { fill: var(--fail); }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  .filters, th button::after { display: none; }
  th button { cursor: auto; }
  tr, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
  pre { white-space: pre-wrap; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  svg.wiring { max-width: 100%; height: auto; }
}
`

export const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var table = document.getElementById('findings-table');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filters = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var shown = document.getElementById('shown');
  var entry = function (row) { return data.rows[Number(row.getAttribute('data-index'))]; };

  function applyFilters() {
    var wanted = filters.filter(function (select) { return select.value !== ''; });
    var count = 0;
    rows.forEach(function (row) {
      var values = entry(row);
      var visible = wanted.every(function (select) { return values[select.getAttribute('data-filter')] === select.value; });
      row.hidden = !visible;
      if (visible) count++;
    });
    shown.textContent = count + ' of ' + rows.length + ' findings shown';
  }

  var sortKey = '';
  var ascending = true;
  function sortBy(button) {
    var key = button.getAttribute('data-sort');
    ascending = key === sortKey ? !ascending : true;
    sortKey = key;
    var field = key === 'severity' || key === 'status' ? key + 'Rank' : key;
    var sorted = rows.slice().sort(function (a, b) {
      var x = entry(a)[field], y = entry(b)[field];
      var order = x < y ? -1 : x > y ? 1 : entry(a).index - entry(b).index;
      return ascending ? order : -order;
    });
    sorted.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute('aria-sort'); });
    button.parentNode.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  }

  filters.forEach(function (select) { select.addEventListener('change', applyFilters); });
  Array.prototype.forEach.call(document.querySelectorAll('[data-sort]'), function (button) {
    button.addEventListener('click', function () { sortBy(button); });
  });
  // Printed, every finding shows its evidence and remediation; afterwards the page is as it was.
  var openedForPrint = [];
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('#findings details:not([open])'), function (details) { details.open = true; openedForPrint.push(details); });
  });
  window.addEventListener('afterprint', function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });
  applyFilters();
})();
`
