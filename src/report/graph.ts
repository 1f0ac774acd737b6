/**
 * The stack DAG as a picture: the graph model (nodes and dependency edges, cross-region edges
 * included), and its drawings — Mermaid (renders in GitHub Markdown), Graphviz DOT, and SVG laid out
 * by Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz, loaded only when an SVG is asked for).
 * Regions are boxes; a node's shape says its layer; its fill says its layer, or its status when known.
 * Past a size a person can read (and GitHub's Mermaid renders), stacks are drawn grouped per region
 * and layer, with counts.
 */
import { mostSevere, REPORT_STATUSES, type ReportStatus } from './status.js';

export interface GraphNode {
  id: string;
  layer: string;
  region: string;
  status?: ReportStatus;
}

/** `from` must be in place before `to`: `to` depends on `from`. */
export interface GraphEdge {
  from: string;
  to: string;
}

export interface StackGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The graph of these stacks: every one a node, every dependency between two of them an edge. */
export function stackGraph(
  stacks: ReadonlyArray<{ id: string; layer: string; region: string; dependsOn: readonly string[] }>,
  status?: ReadonlyMap<string, ReportStatus>,
): StackGraph {
  const ids = new Set(stacks.map((s) => s.id));
  const nodes = stacks.map((s): GraphNode => {
    const st = status?.get(s.id);
    return { id: s.id, layer: s.layer, region: s.region, ...(st ? { status: st } : {}) };
  });
  const edges = stacks.flatMap((s) => s.dependsOn.filter((d) => ids.has(d)).map((d) => ({ from: d, to: s.id })));
  return { nodes, edges };
}

// ---- drawing -------------------------------------------------------------------------------------

interface DrawNode {
  key: string;
  label: string;
  /** A second line (grouped drawings: the status counts). */
  detail?: string;
  layer: string;
  region: string;
  status?: ReportStatus;
  /** Where a click goes in the HTML report (`#stack=<id>` or `#group=<region>/<layer>`). */
  link: string;
  tooltip: string;
}

interface DrawEdge {
  from: string;
  to: string;
  label?: string;
}

export interface Drawing {
  nodes: DrawNode[];
  edges: DrawEdge[];
  /** True when stacks were grouped per region and layer. */
  grouped: boolean;
  /** Stacks in the graph (grouped or not). */
  stacks: number;
}

/** Above these a stack-per-node picture is unreadable, and GitHub's Mermaid refuses more than 500 edges. */
export const DRAW_LIMITS = { nodes: 150, edges: 400 } as const;

export function drawing(graph: StackGraph, opts: { group?: 'auto' | 'always' | 'never' } = {}): Drawing {
  const group = opts.group ?? 'auto';
  const tooBig = graph.nodes.length > DRAW_LIMITS.nodes || graph.edges.length > DRAW_LIMITS.edges;
  if (group === 'always' || (group === 'auto' && tooBig)) return groupedDrawing(graph);
  return {
    nodes: graph.nodes.map((n) => ({
      key: n.id,
      label: n.id,
      layer: n.layer,
      region: n.region,
      ...(n.status ? { status: n.status } : {}),
      link: `#stack=${n.id}`,
      tooltip: n.status ? `${n.id}: ${n.status}` : n.id,
    })),
    edges: graph.edges.map((e) => ({ from: e.from, to: e.to })),
    grouped: false,
    stacks: graph.nodes.length,
  };
}

const groupKey = (n: Pick<GraphNode, 'region' | 'layer'>): string => `${n.region}/${n.layer}`;

/** One node per region × layer (`app ×100`, with its status counts), one edge per pair of groups. */
function groupedDrawing(graph: StackGraph): Drawing {
  const groups = new Map<string, { region: string; layer: string; members: GraphNode[] }>();
  for (const n of graph.nodes) {
    const key = groupKey(n);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { region: n.region, layer: n.layer, members: [] }));
    g.members.push(n);
  }
  const groupOf = new Map(graph.nodes.map((n) => [n.id, groupKey(n)]));
  const edgeCounts = new Map<string, { from: string; to: string; count: number }>();
  for (const e of graph.edges) {
    const from = groupOf.get(e.from)!;
    const to = groupOf.get(e.to)!;
    if (from === to) continue;
    const k = `${from}→${to}`;
    const c = edgeCounts.get(k) ?? { from, to, count: 0 };
    c.count++;
    edgeCounts.set(k, c);
  }
  const nodes = [...groups.entries()].map(([key, g]): DrawNode => {
    const counts = REPORT_STATUSES.map((s) => [s, g.members.filter((m) => m.status === s).length] as const).filter(([, n]) => n > 0);
    const status = mostSevere(g.members.flatMap((m) => (m.status ? [m.status] : [])));
    const detail = counts.map(([s, n]) => `${n} ${s}`).join(' · ');
    return {
      key,
      label: g.members.length === 1 ? g.members[0].id : `${g.layer} ×${g.members.length}`,
      ...(detail ? { detail } : {}),
      layer: g.layer,
      region: g.region,
      ...(status ? { status } : {}),
      link: g.members.length === 1 ? `#stack=${g.members[0].id}` : `#group=${key}`,
      tooltip: `${g.region}: ${g.members.length} ${g.layer} stack(s)${detail ? ` — ${detail}` : ''}`,
    };
  });
  const edges = [...edgeCounts.values()].map((e) => ({ from: e.from, to: e.to, ...(e.count > 1 ? { label: String(e.count) } : {}) }));
  return { nodes, edges, grouped: true, stacks: graph.nodes.length };
}

/** A fill and its border, from Tailwind's palette (mostly a hue's 100 and 600). Light fills: dark text reads on all. */
interface Tint {
  fill: string;
  stroke: string;
}
const TINTS = {
  blue: { fill: '#dbeafe', stroke: '#2563eb' },
  violet: { fill: '#ede9fe', stroke: '#7c3aed' },
  amber: { fill: '#fef3c7', stroke: '#d97706' },
  green: { fill: '#dcfce7', stroke: '#16a34a' },
  slate: { fill: '#f1f5f9', stroke: '#475569' },
  white: { fill: '#ffffff', stroke: '#94a3b8' },
  yellow: { fill: '#fef9c3', stroke: '#ca8a04' },
  orange: { fill: '#ffedd5', stroke: '#ea580c' },
  red: { fill: '#fee2e2', stroke: '#dc2626' },
  gray: { fill: '#e5e7eb', stroke: '#6b7280' },
} satisfies Record<string, Tint>;

/** Colours per layer (no status known) and per status; green means the same on both: settled. */
export const LAYER_COLORS: Record<string, Tint> = {
  cluster: TINTS.blue,
  mesh: TINTS.violet,
  observability: TINTS.amber,
  tenant: TINTS.green,
  app: TINTS.slate,
  unknown: TINTS.white,
};
export const STATUS_COLORS: Record<ReportStatus, Tint> = {
  ok: TINTS.green,
  changes: TINTS.yellow,
  drifted: TINTS.orange,
  failed: TINTS.red,
  skipped: TINTS.gray,
};

/** The layer's key in LAYER_COLORS: its own, or `unknown` for a layer without colours. */
const colorLayer = (layer: string): string => (Object.hasOwn(LAYER_COLORS, layer) ? layer : 'unknown');
const colorsOf = (n: Pick<DrawNode, 'layer' | 'status'>) => (n.status ? STATUS_COLORS[n.status] : LAYER_COLORS[colorLayer(n.layer)]);

/** Shapes per layer, the same in Mermaid and DOT: cluster a cylinder, mesh a hexagon, observability a stadium, tenant a parallelogram, app a box. */
const MERMAID_SHAPE: Record<string, [string, string]> = {
  cluster: ['[(', ')]'],
  mesh: ['{{', '}}'],
  observability: ['([', '])'],
  tenant: ['[/', '/]'],
  app: ['[', ']'],
};
const DOT_SHAPE: Record<string, { shape: string; rounded?: boolean; skew?: number }> = {
  cluster: { shape: 'cylinder' },
  mesh: { shape: 'hexagon' },
  observability: { shape: 'box', rounded: true },
  tenant: { shape: 'polygon', skew: 0.3 },
  app: { shape: 'box' },
};

function regionsOf(d: Drawing): Map<string, DrawNode[]> {
  const regions = new Map<string, DrawNode[]>();
  for (const n of d.nodes) {
    const list = regions.get(n.region) ?? [];
    list.push(n);
    regions.set(n.region, list);
  }
  return regions;
}

const mermaidText = (s: string): string => s.replaceAll('"', '#quot;').replaceAll('<', '#lt;').replaceAll('>', '#gt;');

/** A Mermaid flowchart (GitHub renders ```mermaid blocks). */
export function toMermaid(d: Drawing): string {
  const ids = new Map(d.nodes.map((n, i) => [n.key, `n${i}`]));
  const lines = ['flowchart LR'];
  let r = 0;
  for (const [region, nodes] of regionsOf(d)) {
    lines.push(`  subgraph region${r++}["${mermaidText(region)}"]`);
    for (const n of nodes) {
      const [open, close] = MERMAID_SHAPE[n.layer] ?? ['[', ']'];
      const text = n.detail ? `${mermaidText(n.label)}<br/>${mermaidText(n.detail)}` : mermaidText(n.label);
      lines.push(`    ${ids.get(n.key)}${open}"${text}"${close}`);
    }
    lines.push('  end');
  }
  for (const e of d.edges) lines.push(`  ${ids.get(e.from)} -->${e.label ? `|"${mermaidText(e.label)}"|` : ''} ${ids.get(e.to)}`);
  // One class per colour actually used: by status where known, else by layer.
  const classes = new Map<string, string[]>();
  for (const n of d.nodes) {
    const cls = n.status ? `status_${n.status}` : `layer_${colorLayer(n.layer)}`;
    classes.set(cls, [...(classes.get(cls) ?? []), ids.get(n.key)!]);
  }
  for (const [cls, members] of classes) {
    const [kind, name] = cls.split('_') as ['status' | 'layer', string];
    const c = kind === 'status' ? STATUS_COLORS[name as ReportStatus] : LAYER_COLORS[name];
    lines.push(`  classDef ${cls} fill:${c.fill},stroke:${c.stroke},color:#111827`);
    lines.push(`  class ${members.join(',')} ${cls}`);
  }
  return lines.join('\n');
}

const dotString = (s: string): string => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;

/** Graphviz DOT; `links` adds the HTML report's `#stack=` anchors to nodes. */
export function toDot(d: Drawing, opts: { links?: boolean } = {}): string {
  const font = 'Helvetica,Arial,sans-serif';
  const lines = [
    'digraph platform {',
    `  graph [rankdir=LR, fontname=${dotString(font)}, fontsize=12, nodesep=0.2, ranksep=0.5, bgcolor="transparent"];`,
    `  node [fontname=${dotString(font)}, fontsize=10, style=filled, penwidth=1.2, height=0.3];`,
    '  edge [color="#64748b", arrowsize=0.6, fontname="Helvetica,Arial,sans-serif", fontsize=9];',
  ];
  // With rankdir=LR Graphviz stacks what comes first lowest: emit regions, nodes and edges last-first so
  // the picture reads top-down in config order.
  const regions = [...regionsOf(d)].reverse().map(([region, nodes]) => [region, [...nodes].reverse()] as const);
  let r = 0;
  for (const [region, nodes] of regions) {
    lines.push(`  subgraph cluster_region${r++} {`, `    label=${dotString(region)}; style="rounded,dashed"; color="#94a3b8";`);
    for (const n of nodes) {
      const c = colorsOf(n);
      const shape = DOT_SHAPE[n.layer] ?? { shape: 'box' };
      const attrs = [
        `label=${dotString(n.detail ? `${n.label}\n${n.detail}` : n.label)}`,
        `shape=${shape.shape}`,
        ...(shape.skew ? [`sides=4, skew=${shape.skew}`] : []),
        ...(shape.rounded ? ['style="rounded,filled"'] : []),
        `fillcolor=${dotString(c.fill)}`,
        `color=${dotString(c.stroke)}`,
        `tooltip=${dotString(n.tooltip)}`,
        ...(opts.links ? [`URL=${dotString(n.link)}`, `target="_self"`] : []),
      ];
      lines.push(`    ${dotString(n.key)} [${attrs.join(', ')}];`);
    }
    lines.push('  }');
  }
  for (const e of [...d.edges].reverse()) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${e.label ? ` [label=${dotString(e.label)}]` : ''};`);
  lines.push('}');
  return lines.join('\n');
}

/** SVG laid out by Graphviz (WebAssembly, no system graphviz needed); the library loads on first use. */
export async function toSvg(dot: string): Promise<string> {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, 'svg');
}

export type GraphFormat = 'mermaid' | 'dot' | 'svg';

/** The graph in one of the drawing formats (`platform graph`); grouped per region and layer when asked. */
export async function drawGraph(graph: StackGraph, format: GraphFormat, opts: { grouped?: boolean } = {}): Promise<string> {
  const d = drawing(graph, { group: opts.grouped ? 'always' : 'never' });
  if (format === 'mermaid') return toMermaid(d);
  if (format === 'dot') return toDot(d);
  return toSvg(toDot(d));
}
