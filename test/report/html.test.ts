/**
 * The HTML report of the 609-stack benchmark estate, built and opened in the system Chromium: what a
 * person sees (summary numbers, a stack's field diff, filtering, the graph's links), no console
 * errors, no request leaves the file, secrets never in the file. Skips — saying so — without Chromium.
 * The report of a real engine run is checked in test/report/report.int.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlReport, renderHtmlReport } from '../../src/report/html.js';
import { runReportModel, summarizeReport, type ReportModel } from '../../src/report/model.js';
import { chromiumMissing, launchChromium, type Browser } from '../helpers/browser.js';
import { benchStacks, changedRun, SECRET_VALUE } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'report-html-'));
let model: ReportModel;
let html: string;
let file: string;

beforeAll(async () => {
  const stacks = benchStacks();
  model = runReportModel(changedRun(stacks), stacks, { project: 'bench', exitCode: 1, generatedAt: new Date('2026-11-29T12:00:00Z') });
  html = await htmlReport(model);
  file = join(dir, 'report.html');
  writeFileSync(file, html);
}, 60_000); // the model and HTML of 609 stacks: seconds of CPU on a busy 2-core runner
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the HTML file', () => {
  it('is self-contained: no external URL to fetch, and a policy that forbids fetching any', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  });

  it('never contains a secret value, even one an engine let through', () => {
    expect(JSON.stringify(changedRun(benchStacks()))).toContain(SECRET_VALUE); // the input has it
    expect(html).not.toContain(SECRET_VALUE);
    expect(html).toContain('[secret]');
  });

  it('escapes what it embeds: no stack data can close the data script', () => {
    const evil = runReportModel(
      {
        version: 1,
        operation: 'plan',
        stacks: [
          {
            id: 'app/eu/t/s',
            engine: 'pulumi',
            status: 'failed',
            changes: { create: 0, update: 0, replace: 0, delete: 0, same: 0 },
            resources: [],
            error: { kind: 'external', message: '</script><script>alert(1)</script>' },
          },
        ],
      },
      [],
      { exitCode: 1 },
    );
    const page = renderHtmlReport(evil);
    expect(page.match(/<\/script>/g)).toHaveLength(2); // the data block and the code, nothing more
  });
});

describe.skipIf(Boolean(chromiumMissing))('the HTML report in Chromium (609 stacks)', { timeout: 120_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 120_000); // a browser start on a busy 2-core runner
  afterAll(async () => (browser as Browser | undefined)?.close()); // unset when the launch failed

  it('shows the summary, lazily lists stacks, diffs a stack, filters and follows graph links', async () => {
    const { page, errors, requests, loadMs } = await browser.open(file);
    const sum = summarizeReport(model);
    const card = (status: string) => page.locator(`#summary .card[data-status="${status}"] .n`).textContent();
    expect(await page.locator('#total').textContent()).toBe(String(sum.total));
    expect(await card('changes')).toBe(String(sum.byStatus.changes));
    expect(await card('failed')).toBe('6');
    expect(await card('skipped')).toBe(String(sum.byStatus.skipped));
    expect(await page.locator('table.regions tbody tr').count()).toBe(3);

    // Lazy: one batch drawn, not 609.
    expect(await page.locator('#stacks details.stack').count()).toBe(100);
    expect(await page.locator('#shown').textContent()).toBe(`${sum.total} stacks`);

    // Search by name, open the stack: its field diff, before and after.
    await page.fill('#q', 'app/eu/t3/svc');
    expect(await page.locator('#stacks details.stack').count()).toBe(1);
    await page.locator('#stacks details.stack summary').click();
    const image = page.locator('table.diff tr', { hasText: '/spec/template/spec/containers/0/image' });
    expect(await image.locator('td.before').textContent()).toBe('"ghcr.io/bench/svc:0"');
    expect(await image.locator('td.after').textContent()).toBe('"ghcr.io/bench/svc:1"');
    expect(await page.locator('table.diff tr', { hasText: '/data/TOKEN' }).locator('td.after').textContent()).toBe('"[secret]"');

    // Filter: status failed in region us → one tenant; its error with the second line.
    await page.click('#reset');
    await page.locator('input[name=status][value=failed]').waitFor();
    for (const status of ['failed', 'skipped', 'drifted', 'changes', 'ok'])
      await page.locator(`input[name=status][value=${status}]`).setChecked(status === 'failed');
    await page.selectOption('#f-region', 'us');
    expect(await page.locator('#shown').textContent()).toBe(`2 of ${sum.total} stacks`);
    await page.selectOption('#f-tenant', 't42');
    expect(await page.locator('#stacks details.stack').count()).toBe(1);
    await page.locator('#stacks details.stack summary').click();
    expect(await page.locator('#stacks .error pre').textContent()).toContain('second line of detail');

    // The graph (grouped: 609 stacks) links to its groups.
    await page.locator('#graph a[*|href="#group=ap/app"]').click();
    await expect.poll(() => page.locator('#f-layer').inputValue()).toBe('app');
    expect(await page.locator('#shown').textContent()).toBe(`100 of ${sum.total} stacks`);

    // A link to one stack lists exactly that one (not t30…t39), opened.
    await page.goto(`${page.url().split('#')[0]}#stack=tenant/eu/t3`);
    await expect.poll(() => page.locator('#shown').textContent()).toBe(`1 of ${sum.total} stacks`);
    expect(await page.locator('details.stack[open] .sid').textContent()).toBe('tenant/eu/t3');

    // Scrolling draws the next batch.
    await page.click('#reset');
    await expect.poll(() => page.locator('#stacks details.stack').count()).toBe(100);
    await page.locator('#more').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('#stacks details.stack').count()).toBe(200);

    console.info(`html.test: 609-stack report ${(html.length / 1024).toFixed(0)} KiB, load event after ${(await loadMs()).toFixed(0)} ms`);
    await page.screenshot({ path: join(dir, 'report-609.png') });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('shows a stack no longer in platform.yaml as a pending delete, saying so and how to prune', async () => {
    const stacks = benchStacks().slice(0, 3);
    const orphan = { id: 'app/eu/gone/web', engine: 'pulumi', resources: 4, reason: 'no longer in platform.yaml', action: 'pending' as const };
    const small = join(dir, 'orphan.html');
    writeFileSync(small, await htmlReport(runReportModel({ ...changedRun(stacks), orphans: [orphan] }, stacks, { exitCode: 3 })));
    const { page, errors } = await browser.open(small);
    await page.goto(`${page.url().split('#')[0]}#stack=app/eu/gone/web`);
    await expect.poll(() => page.locator('details.stack[open] .sid').textContent()).toBe('app/eu/gone/web');
    expect(await page.locator('details.stack[open] summary').textContent()).toContain('-4');
    expect(await page.locator('details.stack[open] .orphan').textContent()).toMatch(
      /^no longer in platform.yaml: to be destroyed — `platform apply --all --prune`/,
    );
    expect(errors).toEqual([]);
  });
});
if (chromiumMissing) console.warn(`html.test: SKIPPED — ${chromiumMissing}`);
