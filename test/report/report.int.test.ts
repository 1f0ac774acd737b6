/**
 * The reports of real runs: `platform apply`, `plan` and `drift` with --report against a real local
 * API server and the real engine, the HTML opened in the system Chromium. A person sees the summary
 * numbers, a stack's field diff, a failed stack's error, drift findings by class; the filters work;
 * nothing is fetched; no console errors; the secret handed to the engine appears nowhere. Also the
 * Markdown of the same plan and its terminal text. Chromium missing: the browser checks skip and say so.
 *
 * `UPDATE_SCREENSHOTS=1` also writes the README's docs/images/report.png from this run.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformInput } from '../../src/config/schema.js';
import { kubeAccess } from '../../src/kube/access.js';
import { KubeClient } from '../../src/kube/client.js';
import { freezeQuotas } from '../helpers/admission.js';
import { chromiumMissing, launchChromium, type Browser } from '../helpers/browser.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { createDriftProject, type DriftProject } from '../drift/harness.js';
import { SECRET_VALUE } from './fixtures.js';

const estate = (webImage: string, betaPlan: 'starter' | 'professional'): PlatformInput => ({
  apiVersion: 'platform.dev/v1',
  name: 'reports',
  engine: 'pulumi',
  regions: [{ name: 'eu', cloud: 'local', location: 'local-eu', role: 'primary' }],
  tenants: [
    { name: 'alpha', plan: 'starter', owners: ['a@example.com'] },
    { name: 'beta', plan: betaPlan, owners: ['b@example.com'] },
  ],
  services: [
    { name: 'web', tenant: 'alpha', image: webImage, port: 8080, replicas: 1, secretEnv: { TOKEN: 'env:REPORT_TEST_TOKEN' } },
    { name: 'api', tenant: 'beta', image: 'ghcr.io/acme/api:1.0.0', port: 8080, replicas: 1 },
  ],
});

const env = { REPORT_TEST_TOKEN: SECRET_VALUE };
/** A stack's row in the report's list, by its exact ID. */
const stackRow = (page: Page, id: string) => page.locator('details.stack').filter({ has: page.locator('.sid', { hasText: new RegExp(`^${id}$`) }) });
let project: DriftProject;
let browser: Browser | undefined;
let driftedStacks: string[] = [];
const out = (name: string) => join(project.dir, name);

describe('reports of real runs (real engine, real API server, Chromium)', () => {
  beforeAll(async () => {
    project = await createDriftProject(estate('ghcr.io/acme/web:1.0.0', 'starter'));
    if (!chromiumMissing) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await (project as DriftProject | undefined)?.down(); // unset when beforeAll failed early
  });

  it('apply --report: the JSON result and the HTML report agree', async () => {
    const r = await runCli(['apply', '--all', '--yes', '--json', '--report', out('apply.html'), '-c', project.configFile], { cwd: project.dir, env });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { stacks: Array<{ id: string; status: string }> };
    expect(doc.stacks.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(r.stderr).toContain(`report: ${out('apply.html')}`);
    const html = readFileSync(out('apply.html'), 'utf8');
    expect(html).not.toContain(SECRET_VALUE);
  });

  it.skipIf(Boolean(chromiumMissing))('the apply report in Chromium', async () => {
    const { page, errors, requests } = await browser!.open(out('apply.html'));
    expect(await page.locator('#total').textContent()).toBe('5');
    expect(await page.locator('.card[data-status="ok"] .n').textContent()).toBe('5');
    await stackRow(page, 'app/eu/alpha/web').locator('summary').click();
    // Opening a stack renders its details then (the report lists stacks lazily): wait for them, count() does not.
    await stackRow(page, 'app/eu/alpha/web').locator('.op-create').first().waitFor();
    expect(await stackRow(page, 'app/eu/alpha/web').locator('.op-create').count()).toBeGreaterThan(3);
    expect(await page.locator('#stacks details.stack').count()).toBe(5);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('plan --report and --format markdown: field diffs, a refused stack with its error, filters; the Markdown says the same', async () => {
    // The cluster now refuses quotas in beta, and the config changes web's image and beta's plan tier.
    const kube = await KubeClient.connect(kubeAccess(project.config(), project.config().regions[0], project.dir));
    try {
      await freezeQuotas(kube, { name: 'frozen-quota', namespace: 'beta', message: 'quotas in beta are frozen by the cluster admins' });
    } finally {
      kube.close();
    }
    project.write(estate('ghcr.io/acme/web:1.1.0', 'professional'));
    const r = await runCli(['plan', '--format', 'markdown', '--report', out('plan.html'), '-c', project.configFile], { cwd: project.dir, env });
    expect(r.exitCode, r.stderr).toBe(1);
    const md = r.stdout;
    expect(md.startsWith('## platform plan: 1 failed, 1 skipped, 1 changes')).toBe(true);
    expect(md).toContain('| **all** | **5** | **1** | **1** | **1** | **2** |');
    expect(md).toContain('<details><summary>❌ `tenant/eu/beta` — failed: ResourceQuota beta/tenant-quota');
    expect(md).toMatch(/^> ResourceQuota beta\/tenant-quota: .*quotas in beta are frozen by the cluster admins$/m);
    expect(md).toContain('| `/spec/template/spec/containers/0/image` | `"ghcr.io/acme/web:1.0.0"` | `"ghcr.io/acme/web:1.1.0"` |');
    expect(md).toContain('```mermaid');
    expect(md).not.toContain(SECRET_VALUE);
    expect(readFileSync(out('plan.html'), 'utf8')).not.toContain(SECRET_VALUE);
  });

  it.skipIf(Boolean(chromiumMissing))('the plan report in Chromium: summary, a field diff, an error, filters, graph links; its screenshot', async () => {
    const html = readFileSync(out('plan.html'), 'utf8');
    const { page, errors, requests, loadMs } = await browser!.open(out('plan.html'));
    const card = (s: string) => page.locator(`.card[data-status="${s}"] .n`).textContent();
    expect([await page.locator('#total').textContent(), await card('failed'), await card('skipped'), await card('changes'), await card('ok')]).toEqual([
      '5',
      '1',
      '1',
      '1',
      '2',
    ]);
    // A stack's field diff, as a person opens it.
    await stackRow(page, 'app/eu/alpha/web').locator('summary').click();
    const image = page.locator('table.diff tr', { hasText: '/spec/template/spec/containers/0/image' });
    expect(await image.locator('td.before').textContent()).toBe('"ghcr.io/acme/web:1.0.0"');
    expect(await image.locator('td.after').textContent()).toBe('"ghcr.io/acme/web:1.1.0"');
    // The refused stack: its error.
    await stackRow(page, 'tenant/eu/beta').locator('summary').click();
    expect(await stackRow(page, 'tenant/eu/beta').locator('.error').textContent()).toContain('frozen by the cluster admins');
    // Filters: tenant beta → its two stacks; search; status.
    await page.selectOption('#f-tenant', 'beta');
    expect(await page.locator('#shown').textContent()).toBe('2 of 5 stacks');
    await page.selectOption('#f-tenant', '');
    await page.fill('#q', 'alpha');
    expect(await page.locator('#stacks details.stack .sid').allTextContents()).toEqual(['tenant/eu/alpha', 'app/eu/alpha/web']);
    await page.fill('#q', '');
    await page.locator('input[name=status][value=ok]').uncheck();
    expect(await page.locator('#shown').textContent()).toBe('3 of 5 stacks');
    // The graph links to stacks.
    await page.locator('#graph a[*|href="#stack=app/eu/beta/api"]').click();
    await expect.poll(() => page.locator('#q').inputValue()).toBe('app/eu/beta/api');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    console.info(`report.int: plan report ${(html.length / 1024).toFixed(0)} KiB, load ${(await loadMs()).toFixed(0)} ms`);

    // The picture for the README: the summary, the graph, the refused stack and a field diff.
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`${page.url().split('#')[0]}#all`);
    await page.reload();
    for (const id of ['tenant/eu/beta', 'app/eu/alpha/web']) await stackRow(page, id).locator('summary').click();
    const shot = out('report.png');
    await page.screenshot({ path: shot, fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(join(repoRoot, 'docs', 'images'), { recursive: true });
      copyFileSync(shot, join(repoRoot, 'docs', 'images', 'report.png'));
    }
    expect(existsSync(shot)).toBe(true);
  });

  it('plan text: grouped per stack in dependency order with field diffs', async () => {
    const r = await runCli(['plan', '--diff', '--stack', 'app/eu/alpha/web', '-c', project.configFile], { cwd: project.dir, env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^app\/eu\/alpha\/web {2}changes {2}~1 \(\d+ unchanged\)\n {2}~ apps\/v1:Deployment alpha\/web\n {6}\/spec\/template\/spec\/containers\/0\/image: "ghcr.io\/acme\/web:1.0.0" → "ghcr.io\/acme\/web:1.1.0"/,
    );
    expect(r.stdout).not.toContain(SECRET_VALUE);
  });

  it("plan prices each stack's change against --base: JSON and text", async () => {
    const more = estate('ghcr.io/acme/web:1.1.0', 'professional');
    more.services = more.services!.map((s) => (s.name === 'web' ? { ...s, replicas: 3 } : s));
    project.write(more);
    try {
      const args = ['plan', '--base', 'main', '--stack', 'app/eu/alpha/web', '-c', project.configFile];
      const r = await runCli([...args, '--json'], { cwd: project.dir, env });
      expect(r.exitCode, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { cost: { delta: { base: { ref: string }; stacks: Array<{ id: string; difference: number }> } } };
      expect(doc.cost.delta.base.ref).toBe('main');
      expect(doc.cost.delta.stacks.map((s) => s.id)).toEqual(['app/eu/alpha/web']);
      expect(doc.cost.delta.stacks[0].difference).toBeGreaterThan(0);
      const text = await runCli(args, { cwd: project.dir, env });
      expect(text.exitCode, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/^app\/eu\/alpha\/web {2}changes {2}.* {2}\+[\d.,]+ USD\/month$/m);
      expect(text.stdout).toMatch(/; cost \+[\d.,]+ USD\/month against main$/m);
    } finally {
      project.write(estate('ghcr.io/acme/web:1.1.0', 'professional'));
    }
  });

  it('drift --report: findings by class', async () => {
    project.kubectl('eu', ['-n', 'alpha', 'scale', 'deployment/web', '--replicas=3']);
    const r = await runCli(['drift', '--json', '--report', out('drift.html'), '-c', project.configFile], { cwd: project.dir, env });
    expect(r.exitCode, r.stderr).toBe(3);
    const doc = JSON.parse(r.stdout) as { stacks: Array<{ id: string; status: string }> };
    const drifted = doc.stacks.filter((s) => s.status === 'drift').map((s) => s.id);
    expect(drifted).toContain('app/eu/alpha/web');
    expect(readFileSync(out('drift.html'), 'utf8')).not.toContain(SECRET_VALUE);
    driftedStacks = drifted;
  });

  it.skipIf(Boolean(chromiumMissing))('the drift report in Chromium: drifted findings with state → live', async () => {
    const drifted = driftedStacks;
    const { page, errors, requests } = await browser!.open(out('drift.html'));
    expect(await page.locator('h1').textContent()).toBe('platform drift check — reports');
    expect(await page.locator('.card[data-status="drifted"] .n').textContent()).toBe(String(drifted.length));
    expect(await page.locator('.card[data-status="ok"] .l').textContent()).toBe('clean');
    await stackRow(page, 'app/eu/alpha/web').locator('summary').click();
    const stack = stackRow(page, 'app/eu/alpha/web');
    await stack.locator('h4', { hasText: 'drifted' }).first().waitFor(); // rendered on opening, as above
    expect(await stack.locator('h4', { hasText: 'drifted' }).count()).toBe(1);
    const replicas = stack.locator('table.diff tr', { hasText: '/spec/replicas' });
    expect([await replicas.locator('td.before').textContent(), await replicas.locator('td.after').textContent()]).toEqual(['1', '3']);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
if (chromiumMissing) console.warn(`report.int.test: the browser checks are SKIPPED — ${chromiumMissing}`);
