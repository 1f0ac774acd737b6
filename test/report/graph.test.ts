/**
 * The graph model and its drawings carry exactly the planner's DAG: every stack a node, every
 * `dependsOn` an edge (cross-region ones included). Expectations come from planStacks, never a list.
 * SVG is laid out by the real Graphviz (WebAssembly); DOT is also checked by the system `dot` when
 * it is installed (Debian `graphviz`).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { drawing, stackGraph, toDot, toMermaid, toSvg } from '../../src/report/graph.js';
import { placeOf } from '../../src/report/model.js';
import { planStacks } from '../../src/stacks/plan.js';
import type { StackInstance } from '../../src/stacks/types.js';
import { EXAMPLES, loadExample } from '../stacks/helpers.js';
import { benchStacks } from './fixtures.js';

const edgeKey = (e: { from: string; to: string }): string => `${e.from} -> ${e.to}`;
const dagEdges = (stacks: StackInstance[]): string[] => stacks.flatMap((s) => s.dependsOn.map((d) => `${d} -> ${s.id}`)).sort();
const graphOf = (stacks: StackInstance[]) => stackGraph(stacks.map(placeOf));

const estates: Array<[string, () => StackInstance[]]> = [
  ...EXAMPLES.map((f): [string, () => StackInstance[]] => [f, () => planStacks(loadExample(f))]),
  ['bench/lib-estate.sh (609 stacks)', benchStacks],
];

/** Node titles and edge titles of a Graphviz SVG (what the picture actually has). */
function svgGraph(svg: string): { nodes: string[]; edges: string[] } {
  const decode = (s: string) => s.replaceAll('&#45;', '-').replaceAll('&gt;', '>').replaceAll('&lt;', '<').replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  const titles = (cls: string) => [...svg.matchAll(new RegExp(`class="${cls}"[^>]*>\\s*<title>([^<]*)</title>`, 'g'))].map((m) => decode(m[1]));
  return {
    nodes: titles('node').sort(),
    edges: titles('edge')
      .map((t) => t.replace('->', ' -> '))
      .sort(),
  };
}

const hasDot = (() => {
  try {
    execFileSync('dot', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.each(estates)('graph of %s', (_name, plan) => {
  const stacks = plan();

  it('has every stack as a node and every dependency as an edge, nothing else', () => {
    const g = graphOf(stacks);
    expect(g.nodes.map((n) => n.id)).toEqual(stacks.map((s) => s.id));
    expect(g.edges.map(edgeKey).sort()).toEqual(dagEdges(stacks));
    for (const n of g.nodes) {
      const s = stacks.find((x) => x.id === n.id)!;
      expect(n).toEqual({ id: s.id, layer: s.layer, region: s.region.name });
    }
  });

  it('Mermaid: one node per stack in its region, one arrow per edge', () => {
    const d = drawing(graphOf(stacks), { group: 'never' });
    const text = toMermaid(d);
    const ids = new Map([...text.matchAll(/^ {4}(n\d+)[^"\s]*"([^"]+)"/gm)].map((m) => [m[1], m[2]]));
    expect([...ids.values()].sort()).toEqual(stacks.map((s) => s.id).sort());
    const arrows = [...text.matchAll(/^ {2}(n\d+) --> (n\d+)$/gm)].map((m) => `${ids.get(m[1])} -> ${ids.get(m[2])}`);
    expect(arrows.sort()).toEqual(dagEdges(stacks));
    expect(text.match(/^ {2}subgraph /gm)).toHaveLength(new Set(stacks.map((s) => s.region.name)).size);
  });
});

describe('drawings', () => {
  it('SVG laid out by Graphviz (wasm) has exactly the DAG; cross-region edges included', async () => {
    const stacks = planStacks(loadExample('examples/multicloud/platform.yaml'));
    const crossRegion = dagEdges(stacks).filter((e) => {
      const [from, to] = e.split(' -> ');
      return from.split('/')[1] !== to.split('/')[1];
    });
    expect(crossRegion).toEqual(['cluster/us -> cluster/eu']);
    const svg = await toSvg(toDot(drawing(graphOf(stacks)), { links: true }));
    const seen = svgGraph(svg);
    expect(seen.nodes).toEqual(stacks.map((s) => s.id).sort());
    expect(seen.edges).toEqual(dagEdges(stacks));
    expect(svg).toContain('xlink:href="#stack=cluster/eu"');
  });

  it.skipIf(!hasDot)('DOT read by the system Graphviz (`dot -Tjson`) has exactly the DAG', () => {
    const stacks = planStacks(loadExample('examples/local/platform.yaml'));
    const out = JSON.parse(execFileSync('dot', ['-Tjson'], { input: toDot(drawing(graphOf(stacks))), encoding: 'utf8' })) as {
      objects: Array<{ _gvid: number; name: string; nodes?: number[] }>;
      edges: Array<{ tail: number; head: number }>;
    };
    const nodes = out.objects.filter((o) => !o.nodes);
    const name = new Map(nodes.map((o) => [o._gvid, o.name]));
    expect([...name.values()].sort()).toEqual(stacks.map((s) => s.id).sort());
    expect(out.edges.map((e) => `${name.get(e.tail)} -> ${name.get(e.head)}`).sort()).toEqual(dagEdges(stacks));
  });
  if (!hasDot) console.warn('graph.test: system Graphviz (`dot`) not installed — the DOT cross-check is skipped (apt-get install graphviz)');

  it('a big estate is drawn grouped per region and layer, within what GitHub renders', () => {
    const stacks = benchStacks();
    const status = new Map(stacks.map((s) => [s.id, s.id.endsWith('/t7') ? ('failed' as const) : ('changes' as const)]));
    const d = drawing(stackGraph(stacks.map(placeOf), status));
    expect(d.grouped).toBe(true);
    expect(d.stacks).toBe(stacks.length);
    expect(d.nodes.map((n) => n.key).sort()).toEqual([...new Set(stacks.map((s) => `${s.region.name}/${s.layer}`))].sort());
    const tenants = d.nodes.find((n) => n.key === 'eu/tenant')!;
    expect(tenants).toMatchObject({ label: 'tenant ×100', detail: '1 failed · 99 changes', status: 'failed', link: '#group=eu/tenant' });
    expect(d.edges).toContainEqual({ from: 'eu/tenant', to: 'eu/app', label: '100' });
    const mermaid = toMermaid(d);
    expect(mermaid.length).toBeLessThan(50_000); // GitHub's Mermaid maxTextSize
    expect(mermaid.match(/-->/g)!.length).toBeLessThan(500); // and maxEdges
  });

  it('colours by status when known, by layer otherwise; labels cannot break out of Mermaid or DOT quoting', () => {
    const g = stackGraph(
      [
        { id: 'cluster/eu', layer: 'cluster', region: 'eu', dependsOn: [] },
        { id: 'tenant/eu/a"b', layer: 'tenant', region: 'e"u', dependsOn: ['cluster/eu'] },
      ],
      new Map([['cluster/eu', 'failed']]),
    );
    expect(g.nodes[0].status).toBe('failed');
    expect(g.nodes[1]).not.toHaveProperty('status');
    const mermaid = toMermaid(drawing(g));
    expect(mermaid).toContain('classDef status_failed fill:#fee2e2');
    expect(mermaid).toContain('classDef layer_tenant');
    expect(mermaid).toContain('"tenant/eu/a#quot;b"');
    expect(toDot(drawing(g))).toContain('"tenant/eu/a\\"b"');
  });
});
