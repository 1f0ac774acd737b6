/**
 * Our Mermaid renders: the real Mermaid library (the one GitHub uses, with its default limits of 500
 * edges and 50,000 characters) draws the graphs in Chromium, with one node per stack (or group) and
 * one arrow per edge. Skips — saying so — without Chromium.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawing, stackGraph, toMermaid } from '../../src/report/graph.js';
import { placeOf } from '../../src/report/model.js';
import { planStacks } from '../../src/stacks/plan.js';
import { chromiumMissing, launchChromium, type Browser, type OpenedPage } from '../helpers/browser.js';
import { loadExample } from '../stacks/helpers.js';
import { benchStacks } from './fixtures.js';

const mermaidJs = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

interface Mermaid {
  initialize(c: object): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

describe.skipIf(Boolean(chromiumMissing))('Mermaid output drawn by Mermaid in Chromium', { timeout: 120_000 }, () => {
  let browser: Browser;
  let opened: OpenedPage;
  const dir = mkdtempSync(join(tmpdir(), 'report-mermaid-'));
  const page = join(dir, 'blank.html');
  beforeAll(async () => {
    browser = await launchChromium();
    writeFileSync(page, '<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    opened = await browser.open(page);
    await opened.page.addScriptTag({ path: mermaidJs });
  }, 120_000); // a browser start on a busy 2-core runner
  afterAll(async () => {
    await (browser as Browser | undefined)?.close(); // unset when the launch failed
    rmSync(dir, { recursive: true, force: true });
  });

  const draw = async (text: string): Promise<string> =>
    opened.page.evaluate(async (t) => {
      const m = (globalThis as unknown as { mermaid: Mermaid }).mermaid;
      m.initialize({ startOnLoad: false });
      return (await m.render(`g${Math.random().toString(36).slice(2)}`, t)).svg;
    }, text);
  const count = (svg: string, re: RegExp): number => svg.match(re)?.length ?? 0;

  it('the local example: every stack a node, every edge an arrow, status and layer colours', async () => {
    const stacks = planStacks(loadExample('examples/local/platform.yaml'));
    const status = new Map([
      ['tenant/eu/search', 'failed' as const],
      ['app/eu/search/indexer', 'skipped' as const],
    ]);
    for (const g of [stackGraph(stacks.map(placeOf)), stackGraph(stacks.map(placeOf), status)]) {
      const svg = await draw(toMermaid(drawing(g)));
      expect(count(svg, /class="node [^"]*"/g)).toBe(stacks.length);
      expect(count(svg, /class="[^"]*flowchart-link/g)).toBe(g.edges.length);
      expect(count(svg, /class="cluster"/g)).toBe(2);
      expect(count(svg, /class="node default (layer|status)_\w+"/g)).toBe(stacks.length);
    }
    expect(opened.errors).toEqual([]);
  });

  it('609 stacks grouped per region and layer: drawn within Mermaid’s default limits', async () => {
    const stacks = benchStacks();
    const d = drawing(stackGraph(stacks.map(placeOf)));
    const svg = await draw(toMermaid(d));
    expect(count(svg, /class="node [^"]*"/g)).toBe(15);
    expect(count(svg, /class="[^"]*flowchart-link/g)).toBe(d.edges.length);
    expect(svg).toContain('tenant ×100');
    // Drawn per stack it would be refused (more than 500 edges): why the grouped drawing exists.
    await expect(draw(toMermaid(drawing(stackGraph(stacks.map(placeOf)), { group: 'never' })))).rejects.toThrow(/Edge limit exceeded|Maximum text size/);
  });
});
if (chromiumMissing) console.warn(`mermaid.test: SKIPPED — ${chromiumMissing}`);
