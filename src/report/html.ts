/**
 * The HTML report: one self-contained file (inline CSS, script, SVG and data; a Content-Security-Policy
 * that forbids every network fetch), readable offline and attachable as a CI artifact. The summary and
 * the graph are plain HTML; the stack list is drawn by the inline script, a batch at a time as it is
 * scrolled, and a stack's diffs only when it is opened — so 600 stacks load like 20. Filters (region,
 * tenant, layer, status, search) run in the page; `#stack=<id>` and `#group=<region>/<layer>` links
 * (the graph's nodes) select stacks.
 */
import { createHash } from 'node:crypto';
import { drawing, STATUS_COLORS, toDot, toSvg, type Drawing } from './graph.js';
import { REPORT_STATUSES, statusLabel, summarizeReport, type ReportModel, type ReportStatus } from './model.js';
import { FINDING_NOTE } from './values.js';

const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** JSON inside <script>: nothing in it can close the element or start a comment. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replaceAll('<', '\\u003c').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');

const hash = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

const TITLE: Record<ReportModel['operation'], string> = { plan: 'plan', apply: 'apply', destroy: 'destroy', drift: 'drift check' };

/** The report with its graph laid out by Graphviz (loaded on first use). */
export async function htmlReport(model: ReportModel): Promise<string> {
  const d = drawing(model.graph);
  const svg = d.nodes.length ? await toSvg(toDot(d, { links: true })) : undefined;
  return renderHtmlReport(model, svg === undefined ? undefined : { drawing: d, svg });
}

/** Graphviz's SVG without its XML prolog and DOCTYPE, so it can sit inline in HTML. */
const inlineSvg = (svg: string): string => svg.slice(svg.indexOf('<svg'));

export function renderHtmlReport(model: ReportModel, graph?: { drawing: Drawing; svg: string }): string {
  const sum = summarizeReport(model);
  const op = model.operation;
  const title = `platform ${TITLE[op]}${model.project ? ` — ${model.project}` : ''}`;
  const labels = Object.fromEntries(REPORT_STATUSES.map((s) => [s, statusLabel(s, op)]));
  const regions = sum.byRegion.map((r) => r.region);
  const tenants = [...new Set(model.stacks.flatMap((s) => (s.tenant ? [s.tenant] : [])))].sort();
  const layers = [...new Set(model.stacks.map((s) => s.layer))];
  const data = { operation: op, labels, classNotes: FINDING_NOTE, stacks: model.stacks };

  const cards = REPORT_STATUSES.map(
    (s) =>
      `<a class="card st-${s}${sum.byStatus[s] ? '' : ' zero'}" href="#status=${s}" data-status="${s}"><span class="n">${sum.byStatus[s]}</span><span class="l">${esc(labels[s])}</span></a>`,
  ).join('');
  const regionRows = sum.byRegion
    .map(
      (r) =>
        `<tr><th scope="row"><a href="#region=${esc(r.region)}">${esc(r.region)}</a></th><td>${r.total}</td>${REPORT_STATUSES.map((s) => `<td class="${r.byStatus[s] ? `st-${s}` : 'zero'}">${r.byStatus[s]}</td>`).join('')}</tr>`,
    )
    .join('');
  const meta = [
    model.project && `project <b>${esc(model.project)}</b>`,
    model.ref && `ref <code>${esc(model.ref)}</code>`,
    `exit code <b>${model.exitCode}</b>`,
    `made <time datetime="${esc(model.generatedAt)}">${esc(model.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>`,
  ].filter(Boolean);
  const option = (v: string) => `<option value="${esc(v)}">${esc(v)}</option>`;
  const legend = [
    'Shape: cluster a cylinder, mesh a hexagon, observability a rounded box, tenant a parallelogram, app a box. Fill:',
    ...REPORT_STATUSES.map((s) => `<span class="key"><i class="sw st-${s}"></i>${esc(labels[s])}</span>`),
  ].join(' ');
  const graphNote = graph?.drawing.grouped
    ? `<p class="note">${graph.drawing.stacks} stacks, drawn grouped per region and layer; click a group to list its stacks. <code>platform graph --format svg</code> draws every stack.</p>`
    : '';
  const graphHtml = graph
    ? `<section id="graph"><h2>Stack graph</h2>${graphNote}<div class="graph">${inlineSvg(graph.svg)}</div><p class="legend">${legend}</p></section>`
    : '';

  const style = STYLE;
  const script = SCRIPT;
  const csp = `default-src 'none'; img-src data:; style-src ${hash(style)}; script-src ${hash(script)}; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="platform">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>${style}</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p class="meta">${meta.join(' · ')}</p></header>
<main>
<section id="summary"><h2>Summary</h2>
<div class="cards"><a class="card total" href="#all"><span class="n" id="total">${sum.total}</span><span class="l">stacks</span></a>${cards}</div>
<table class="regions"><thead><tr><th>region</th><th>stacks</th>${REPORT_STATUSES.map((s) => `<th>${esc(labels[s])}</th>`).join('')}</tr></thead><tbody>${regionRows}</tbody></table>
</section>
${graphHtml}
<section id="stack-list"><h2>Stacks</h2>
<form class="filters" id="filters" autocomplete="off">
<input type="search" id="q" placeholder="Search stacks by name ( / )" aria-label="Search stacks by name">
<select id="f-region" aria-label="Region"><option value="">all regions</option>${regions.map(option).join('')}</select>
<select id="f-tenant" aria-label="Tenant"><option value="">all tenants</option>${tenants.map(option).join('')}</select>
<select id="f-layer" aria-label="Layer"><option value="">all layers</option>${layers.map(option).join('')}</select>
<span class="statuses">${REPORT_STATUSES.map((s) => `<label class="st-${s}"><input type="checkbox" name="status" value="${s}" checked> ${esc(labels[s])}</label>`).join('')}</span>
<button type="reset" id="reset">clear</button>
</form>
<p id="shown" aria-live="polite">${sum.total} stacks</p>
<noscript><p>The stack list needs JavaScript; the summary and the graph above do not.</p></noscript>
<div id="stacks"></div>
<button type="button" id="more" hidden>show more</button>
</section>
</main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

const statusCss = REPORT_STATUSES.map((s: ReportStatus) => `.st-${s}{--fill:${STATUS_COLORS[s].fill};--stroke:${STATUS_COLORS[s].stroke}}`).join('');
const STYLE = `
:root{color-scheme:light;--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--soft:#f9fafb;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
body{margin:0}header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--soft)}h1{font-size:20px;margin:0}h2{font-size:16px;margin:24px 0 8px}
main{padding:0 24px 48px;max-width:1400px}.meta,.note{color:var(--muted);margin:4px 0}code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
${statusCss}
.cards{display:flex;flex-wrap:wrap;gap:8px}.card{display:flex;flex-direction:column;min-width:92px;padding:8px 12px;border:1px solid var(--stroke,#d1d5db);border-left-width:4px;border-radius:6px;background:var(--fill,#fff);color:inherit;text-decoration:none}
.card .n{font-size:22px;font-weight:600}.card .l{color:#374151}.card.zero{opacity:.45}
table{border-collapse:collapse}.regions{margin-top:12px}.regions th,.regions td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:right}.regions th:first-child{text-align:left}.regions td.zero{color:#9ca3af}.regions td[class^=st-]{background:var(--fill)}
.graph{overflow:auto;max-height:70vh;border:1px solid var(--line);border-radius:6px;padding:8px;background:#fff}.graph svg{max-width:none;height:auto}.graph a:hover polygon,.graph a:hover path,.graph a:hover ellipse{stroke-width:3}
.legend{color:var(--muted)}.key{display:inline-flex;align-items:center;gap:4px;margin-right:12px}.sw{display:inline-block;width:12px;height:12px;border:1px solid var(--stroke);background:var(--fill);border-radius:2px}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;position:sticky;top:0;background:var(--bg);padding:8px 0;z-index:1;border-bottom:1px solid var(--line)}
.filters input[type=search]{min-width:260px;padding:4px 8px}.filters select,.filters button{padding:3px 6px}.statuses label{padding:2px 6px;border-radius:4px;background:var(--fill);border:1px solid var(--stroke)}
#shown{color:var(--muted)}
details.stack{border:1px solid var(--line);border-left:4px solid var(--stroke);border-radius:4px;margin:4px 0;background:#fff}
details.stack>summary{cursor:pointer;padding:5px 10px;display:flex;gap:10px;align-items:baseline;list-style-position:inside}
details.stack[open]>summary{border-bottom:1px solid var(--line);background:var(--soft)}
.badge{font-size:12px;padding:0 6px;border-radius:9px;background:var(--fill);border:1px solid var(--stroke);white-space:nowrap}.sid{font-weight:600}.what{color:#374151;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.body{padding:8px 12px}.place{color:var(--muted);margin:0 0 8px}.orphan{font-style:italic;margin:0 0 8px}.place a{color:inherit}
.error{border:1px solid #fca5a5;background:#fef2f2;border-radius:4px;padding:8px;margin:0 0 8px}.error pre{white-space:pre-wrap;margin:0}.hint{margin:6px 0 0;color:#7f1d1d}
.res{margin:8px 0}.res-head code{font-weight:600}.op{display:inline-block;min-width:64px;font-size:12px;font-weight:600}.op-create{color:#15803d}.op-update{color:#a16207}.op-replace{color:#7e22ce}.op-delete{color:#b91c1c}
table.diff{width:100%;margin:4px 0 0;table-layout:fixed}table.diff th,table.diff td{border:1px solid var(--line);padding:3px 6px;vertical-align:top;text-align:left}table.diff th{background:var(--soft);font-weight:500}
table.diff td pre{margin:0;white-space:pre-wrap;word-break:break-all;max-height:16em;overflow:auto}td.before{background:#fef2f2}td.after{background:#f0fdf4}.absent{color:#9ca3af}
h4{margin:10px 0 4px;font-size:13px}.class-note{color:var(--muted);font-weight:400}
`.trim();

/** Runs in the page. Everything from the data goes in through textContent: nothing is parsed as HTML. */
const SCRIPT = `
(() => {
'use strict';
const data = JSON.parse(document.getElementById('report-data').textContent);
const stacks = data.stacks;
const byId = new Map(stacks.map((s) => [s.id, s]));
const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
const list = $('stacks'), shown = $('shown'), q = $('q'), region = $('f-region'), tenant = $('f-tenant'), layer = $('f-layer'), more = $('more');
const boxes = [...document.querySelectorAll('input[name=status]')];
const BATCH = 100;
const OP = { create: '+ create', update: '~ update', replace: '± replace', delete: '- delete' };
let matches = [], drawn = 0, exact = '';

const counts = (c) => [c.create && '+' + c.create, c.update && '~' + c.update, c.replace && '±' + c.replace, c.delete && '-' + c.delete].filter(Boolean).join(' ') || 'no changes';
function what(s) {
  if (s.error && s.status !== 'changes') return s.error.message.split('\\n')[0];
  if (s.changes) return counts(s.changes) + (s.changes.same ? ' (' + s.changes.same + ' unchanged)' : '');
  return s.findings.length ? s.findings.length + ' finding(s)' : '';
}
function value(v) {
  if (v === undefined) return el('span', 'absent', '∅');
  return el('pre', '', typeof v === 'object' && v !== null ? JSON.stringify(v, null, 2) : JSON.stringify(v));
}
function diffTable(heads, rows) {
  const t = el('table', 'diff'), tr = el('tr');
  heads.forEach((h) => tr.append(el('th', '', h)));
  t.append(tr);
  for (const r of rows) {
    const row = el('tr');
    r.forEach((c, i) => { const td = el('td', i === 1 ? 'before' : i === 2 ? 'after' : ''); td.append(c); row.append(td); });
    t.append(row);
  }
  return t;
}
function body(s) {
  const b = el('div', 'body');
  const place = el('p', 'place', [s.layer, 'in ' + s.region, s.tenant && 'tenant ' + s.tenant].filter(Boolean).join(' · '));
  if (s.dependsOn.length) {
    place.append(' · depends on ');
    s.dependsOn.forEach((d, i) => { if (i) place.append(', '); const a = el('a', '', d); a.href = '#stack=' + encodeURIComponent(d); place.append(a); });
  }
  b.append(place);
  if (s.orphan) b.append(el('p', 'orphan', s.orphan));
  if (s.error) {
    const e = el('div', 'error');
    e.append(el('strong', '', s.error.kind ? s.error.kind + ' error' : 'error'), el('pre', '', s.error.message));
    if (s.error.hint) e.append(el('p', 'hint', s.error.hint));
    b.append(e);
  }
  for (const r of s.resources) {
    const box = el('div', 'res'), head = el('div', 'res-head');
    head.append(el('span', 'op op-' + r.op, OP[r.op] || r.op), el('code', '', r.type + ' ' + r.name));
    box.append(head);
    if (r.diff.length) box.append(diffTable(['field', 'before', 'after'], r.diff.map((d) => [el('code', '', d.path), value(d.old), value(d.new)])));
    b.append(box);
  }
  for (const cls of Object.keys(data.classNotes)) {
    const fs = s.findings.filter((f) => f.class === cls);
    if (!fs.length) continue;
    const h = el('h4', '', cls + ' (' + fs.length + ') ');
    h.append(el('span', 'class-note', data.classNotes[cls]));
    b.append(h);
    for (const f of fs) {
      const box = el('div', 'res');
      box.append(el('code', '', f.apiVersion + ' ' + f.kind + ' ' + (f.namespace ? f.namespace + '/' : '') + f.name));
      if (f.paths.length) {
        const heads = cls === 'pending' ? ['field', 'state', 'Git'] : ['field', 'state', 'live'];
        box.append(diffTable(heads, f.paths.map((p) => [el('code', '', p.path), value(p.state), value(cls === 'pending' ? p.git : p.live)])));
      }
      b.append(box);
    }
  }
  if (s.changes && s.changes.same) b.append(el('p', 'place', s.changes.same + ' resource(s) unchanged'));
  if (!s.error && !s.orphan && !s.resources.length && !s.findings.length) b.append(el('p', 'place', 'nothing to show: ' + data.labels[s.status]));
  return b;
}
function row(s) {
  const d = el('details', 'stack st-' + s.status);
  d.id = 'stack-' + s.id;
  const sum = el('summary');
  sum.append(el('span', 'badge st-' + s.status, data.labels[s.status]), el('code', 'sid', s.id), el('span', 'what', what(s)));
  d.append(sum);
  d.addEventListener('toggle', () => { if (d.open && d.childElementCount === 1) d.append(body(s)); });
  return d;
}
function drawMore() {
  const end = Math.min(matches.length, drawn + BATCH);
  const frag = document.createDocumentFragment();
  for (; drawn < end; drawn++) frag.append(row(matches[drawn]));
  list.append(frag);
  more.hidden = drawn >= matches.length;
}
function apply() {
  const text = q.value.trim().toLowerCase();
  const want = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
  matches = stacks.filter((s) => want.has(s.status) && (exact ? s.id === exact : !text || s.id.toLowerCase().includes(text)) && (!region.value || s.region === region.value) && (!tenant.value || s.tenant === tenant.value) && (!layer.value || s.layer === layer.value));
  list.replaceChildren();
  drawn = 0;
  drawMore();
  shown.textContent = matches.length === stacks.length ? stacks.length + ' stacks' : matches.length + ' of ' + stacks.length + ' stacks';
}
function reset() { exact = ''; q.value = ''; region.value = ''; tenant.value = ''; layer.value = ''; boxes.forEach((b) => { b.checked = true; }); }
function route() {
  let h = location.hash.slice(1);
  try { h = decodeURIComponent(h); } catch { return; }
  const i = h.indexOf('='), key = i < 0 ? h : h.slice(0, i), arg = i < 0 ? '' : h.slice(i + 1);
  if (!['stack', 'group', 'status', 'region', 'all'].includes(key)) return;
  reset();
  if (key === 'stack') { q.value = arg; exact = arg; }
  if (key === 'group') { const j = arg.indexOf('/'); region.value = arg.slice(0, j); layer.value = arg.slice(j + 1); }
  if (key === 'region') region.value = arg;
  if (key === 'status') boxes.forEach((b) => { b.checked = b.value === arg; });
  apply();
  const open = key === 'stack' && byId.has(arg) ? $('stack-' + arg) : null;
  if (open) open.open = true;
  (open || $('stack-list')).scrollIntoView({ block: 'start' });
}
$('filters').addEventListener('input', () => { exact = ''; apply(); });
$('filters').addEventListener('submit', (e) => e.preventDefault());
$('filters').addEventListener('reset', () => { exact = ''; setTimeout(apply); });
more.addEventListener('click', drawMore);
new IntersectionObserver((es) => { if (es.some((e) => e.isIntersecting) && !more.hidden) drawMore(); }, { rootMargin: '400px' }).observe(more);
document.addEventListener('keydown', (e) => { if (e.key === '/' && document.activeElement !== q) { e.preventDefault(); q.focus(); } });
window.addEventListener('hashchange', route);
apply();
if (location.hash) route();
})();
`.trim();
