/**
 * The clouds through the built CLI: synth of the cloud examples with each engine, and plan on a cloud
 * region without providers/credentials (one clear error, exit 1, no stack trace). Needs `npm run build`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveTool } from '../../src/toolchain/index.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'clouds-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * No credentials, an empty toolchain and HOME: what a fresh offline machine looks like — with OPA on
 * PATH, since plan's policy gate (which these estates pass) runs before the clouds' readiness check.
 */
function bareEnv(): NodeJS.ProcessEnv {
  const d = tempDir();
  const opa = dirname(resolveTool('opa'));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|GOOGLE_|CLOUDSDK_|ARM_)/.test(k)));
  return {
    ...inherited,
    PATH: `${opa}${delimiter}${process.env.PATH}`,
    HOME: d,
    PLATFORM_TOOLCHAIN_DIR: join(d, 'toolchain'),
    XDG_CACHE_HOME: join(d, 'cache'),
  };
}

describe('clouds through the CLI', { timeout: 120_000 }, () => {
  test('plan on a cloud region offline: exit 1 with one message saying what to install and set', async () => {
    const r = await runCli(['plan', '--stack', 'cluster/eu', '-c', join(repoRoot, 'examples/multicloud/platform.yaml')], { env: bareEnv() });
    expect(r.exitCode, r.stderr).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2); // the error and its hint
    expect(lines[0]).toBe(
      'error cluster/eu cannot run on this machine: missing OpenTofu provider hashicorp/aws 6.25.0, hashicorp/google 6.50.0 (there is no registry access to download them); AWS credentials; GCP credentials',
    );
    expect(lines[1]).toMatch(/^ {2}To fix: install hashicorp\/aws 6\.25\.0, hashicorp\/google 6\.50\.0 into the provider mirror .*; set AWS_ACCESS_KEY_ID/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  test('--json: the same error as the one JSON document; the Pulumi engine names its plugins', async () => {
    const dir = tempDir();
    const file = join(dir, 'platform.yaml');
    writeFileSync(file, readFileSync(join(repoRoot, 'examples/azure/platform.yaml'), 'utf8'));
    const r = await runCli(['plan', '--stack', 'cluster/we', '--json', '-c', file], { env: bareEnv() });
    expect(r.exitCode, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { error: { kind: string; message: string; hint: string } };
    expect(doc.error.kind).toBe('external');
    expect(doc.error.message).toContain('missing Pulumi resource plugin azure-native 3.28.0');
    expect(doc.error.message).toContain('AZURE credentials');
    expect(doc.error.hint).toContain('pulumi plugin install resource azure-native 3.28.0');
  });

  test.each(['terraform', 'pulumi'])('synth --json of examples/multicloud with %s lists the cloud resources of both cluster stacks', async (engine) => {
    const dir = tempDir();
    const file = join(dir, 'platform.yaml');
    writeFileSync(file, readFileSync(join(repoRoot, 'examples/multicloud/platform.yaml'), 'utf8').replace(/^engine: \w+$/m, `engine: ${engine}`));
    const r = await runCli(['synth', '--json', '-c', file, '--stack', 'cluster/eu', '--stack', 'cluster/us'], { env: bareEnv() });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { stacks: Array<{ id: string; resources: Array<{ type: string; name: string }> }> };
    const types = (id: string): string[] => doc.stacks.find((s) => s.id === id)!.resources.map((x) => x.type);
    const eks = engine === 'terraform' ? 'aws_eks_cluster' : 'aws:eks/cluster:Cluster';
    const gke = engine === 'terraform' ? 'google_container_cluster' : 'gcp:container/cluster:Cluster';
    const transfer = engine === 'terraform' ? 'google_storage_transfer_job' : 'gcp:storage/transferJob:TransferJob';
    expect(types('cluster/eu')).toContain(eks);
    expect(types('cluster/eu')).toContain(transfer);
    expect(types('cluster/us')).toContain(gke);
    expect(types('cluster/us')).not.toContain(eks);
  });
});
