/**
 * No cloud SDK is loaded unless a region uses it, and then only per-resource modules (never a package
 * index: @cdktf/provider-aws's index alone takes ~10 s to load). Traced through the built CLI with a
 * module-load hook. Needs `npm run build`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A small local estate (the local example takes long to synthesize with Pulumi mocks). */
const LOCAL = `apiVersion: platform.dev/v1
name: lazy
engine: pulumi
regions:
  - { name: eu, cloud: local, location: l-eu, role: primary }
  - { name: us, cloud: local, location: l-us, role: dr }
tenants:
  - { name: team, plan: starter, owners: [o@example.com] }
dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *" }
`;

/** `platform synth` of an estate with `engine:` switched; returns the module URLs the process loaded. */
async function loadedBySynth(example: 'local' | 'multicloud', engine: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'clouds-lazy-'));
  dirs.push(dir);
  const file = join(dir, 'platform.yaml');
  const text = example === 'local' ? LOCAL : readFileSync(join(repoRoot, 'examples', example, 'platform.yaml'), 'utf8');
  writeFileSync(file, text.replace(/^engine: \w+$/m, `engine: ${engine}`));
  const trace = join(dir, 'loaded.txt');
  const r = await runCli(['synth', '--json', '-c', file, '--out', join(dir, 'out')], {
    env: { TRACE_OUT: trace, NODE_OPTIONS: `--import=${join(repoRoot, 'test', 'clouds', 'trace-loads.mjs')}` },
  });
  expect(r.exitCode, r.stderr).toBe(0);
  return readFileSync(trace, 'utf8').trim().split('\n');
}

const SDK = /node_modules\/(@cdktf\/provider-(aws|google|azurerm)|@pulumi\/(aws|gcp|azure-native))\//;
const sdkFiles = (urls: string[], pkg: string): string[] => urls.filter((u) => u.includes(`/node_modules/${pkg}/`));
const INDEX = /node_modules\/(@cdktf\/provider-[a-z]+\/lib|@pulumi\/(aws|gcp|azure-native))\/index\.js$/;

describe('cloud SDKs load lazily, per resource module', { timeout: 180_000 }, () => {
  test.each(['terraform', 'pulumi'])('a local-only estate (%s) loads no cloud SDK at all', async (engine) => {
    const urls = await loadedBySynth('local', engine);
    expect(urls.length).toBeGreaterThan(50); // the hook saw the run
    expect(urls.filter((u) => SDK.test(u))).toEqual([]);
  });

  test('Terraform, AWS + GCP: deep imports of the AWS and Google bindings only, never an index, nothing of Azure', async () => {
    const urls = await loadedBySynth('multicloud', 'terraform');
    expect(sdkFiles(urls, '@cdktf/provider-aws')).toContainEqual(expect.stringMatching(/\/lib\/eks-cluster\/index\.js$/));
    expect(sdkFiles(urls, '@cdktf/provider-google')).toContainEqual(expect.stringMatching(/\/lib\/container-cluster\/index\.js$/));
    expect(sdkFiles(urls, '@cdktf/provider-azurerm')).toEqual([]);
    expect(urls.filter((u) => INDEX.test(u))).toEqual([]);
    expect(urls.filter((u) => /node_modules\/@pulumi\/(aws|gcp|azure-native)\//.test(u))).toEqual([]);
  });

  test('Pulumi, AWS + GCP: per-resource modules of @pulumi/aws and @pulumi/gcp only, never an index, nothing of Azure', async () => {
    const urls = await loadedBySynth('multicloud', 'pulumi');
    expect(sdkFiles(urls, '@pulumi/aws')).toContainEqual(expect.stringMatching(/\/eks\/cluster\.js$/));
    expect(sdkFiles(urls, '@pulumi/gcp')).toContainEqual(expect.stringMatching(/\/container\/cluster\.js$/));
    expect(sdkFiles(urls, '@pulumi/azure-native')).toEqual([]);
    expect(urls.filter((u) => INDEX.test(u))).toEqual([]);
    expect(urls.filter((u) => /node_modules\/@cdktf\//.test(u))).toEqual([]);
  });
});
