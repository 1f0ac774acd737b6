/**
 * A real browser for the report tests: the system Chromium (Debian `chromium`), driven by
 * playwright-core, never a downloaded browser. Each page records console errors, page errors and
 * every request that is not the report file itself (a self-contained report makes none).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = process.env.PLATFORM_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export const chromiumMissing = existsSync(CHROMIUM)
  ? undefined
  : `Chromium not found at ${CHROMIUM}: the HTML report is NOT checked in a browser (as root: apt-get install -y chromium)`;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OpenedPage {
  page: Page;
  /** Console errors, uncaught page errors and CSP violations, as text. */
  errors: string[];
  /** URLs requested besides the report itself. */
  requests: string[];
  /** Milliseconds from navigation start to the `load` event, as the page measured it. */
  loadMs: () => Promise<number>;
}

export interface Browser {
  open(file: string, viewport?: { width: number; height: number }): Promise<OpenedPage>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'report-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  return {
    async open(file, viewport = { width: 1280, height: 900 }) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      const errors: string[] = [];
      const requests: string[] = [];
      const self = pathToFileURL(file).href;
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => {
        if (r.url().split('#')[0] !== self) requests.push(r.url());
      });
      await page.goto(self, { waitUntil: 'load' });
      type Timing = { loadEventEnd: number; startTime: number };
      // Typed by hand: the test program has no DOM types (and the report's CSP forbids string evaluation).
      const loadMs = async () =>
        page.evaluate(() => {
          const [nav] = (globalThis as unknown as { performance: { getEntriesByType(t: string): Timing[] } }).performance.getEntriesByType('navigation');
          return nav.loadEventEnd - nav.startTime;
        });
      return { page, errors, requests, loadMs };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
