// bench/report.sh: build the HTML report and the Markdown of a plan over an estate, then open the HTML
// in the system Chromium and time it. Node ESM, uses dist/ (run `npm run build` first).
//   node bench/lib-report.mjs <platform.yaml> <out.html> [LOADS]   → one JSON line of measurements
// LOADS (default 5) page loads: their median and every sample (loadsMs, seconds for bench/lib-result.mjs).
// The plan is made from the planner's real stacks: every service's image bumped (a field diff on each
// Deployment), everything else unchanged — what `platform plan --all` says after a fleet-wide release.
import { readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(`${repo}/dist/${p}`);
const [file, out, loadCount = '5'] = process.argv.slice(2);

const { parseConfig } = await dist('config/load.js');
const { planStacks } = await dist('stacks/plan.js');
const { diffJson } = await dist('objects/diff.js');
const { runReportModel } = await dist('report/model.js');
const { htmlReport } = await dist('report/html.js');
const { reportMarkdown } = await dist('report/markdown.js');

const stacks = planStacks(parseConfig(readFileSync(file, 'utf8'), file));
const run = {
  version: 1,
  operation: 'plan',
  stacks: stacks.map((s) => {
    const changes = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
    const resources = s.objects.map(({ manifest: m }) => {
      let diff = [];
      if (m.kind === 'Deployment') {
        const old = structuredClone(m);
        old.spec.template.spec.containers[0].image += '-previous';
        diff = diffJson(old, m);
      }
      const op = diff.length ? 'update' : 'same';
      changes[op]++;
      return { op, type: `${m.apiVersion}:${m.kind}`, name: m.metadata.namespace ? `${m.metadata.namespace}/${m.metadata.name}` : m.metadata.name, diff };
    });
    return { id: s.id, engine: s.engine, status: changes.update ? 'changes' : 'ok', changes, resources };
  }),
};
const model = runReportModel(run, stacks, { project: 'bench', exitCode: 3 });
let t = performance.now();
const html = await htmlReport(model);
const buildMs = performance.now() - t;
writeFileSync(out, html);
t = performance.now();
const md = reportMarkdown(model);
const markdownMs = performance.now() - t;

const { chromium } = await import('playwright-core');
const profile = mkdtempSync(join(tmpdir(), 'bench-report-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const loads = [];
try {
  for (let i = 0; i < Number(loadCount); i++) {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
    await page.locator('#stacks details.stack').first().waitFor();
    loads.push(await page.evaluate(() => {
      const [nav] = performance.getEntriesByType('navigation');
      return { load: nav.loadEventEnd - nav.startTime, listed: performance.now() };
    }));
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(JSON.stringify({
  stacks: stacks.length,
  bytes: statSync(out).size,
  buildMs: Math.round(buildMs),
  loadMs: Math.round(median(loads.map((l) => l.load))),
  listedMs: Math.round(median(loads.map((l) => l.listed))),
  loadsMs: loads.map((l) => Math.round(l.load)),
  markdownChars: md.length,
  markdownMs: Math.round(markdownMs),
}));
