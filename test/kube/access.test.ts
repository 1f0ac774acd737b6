/**
 * The one cluster access of a cloud region: its cluster stack's `kubeconfig` output, read through the
 * engine's state (both engines' readers, secrets decrypted in memory), the plan path before the cluster
 * exists, and the order the orchestrator runs a cloud region's stacks in.
 */
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ClusterNotCreatedError, clusterPending, regionAccess, resolveKubeAccess, type StackOutputReader } from '../../src/kube/access.js';
import { pulumiStateReader, checkpointKey } from '../../src/engines/pulumi/state.js';
import { terraformStateKey, terraformStateReader } from '../../src/engines/terraform/state.js';
import { resolveStateLocation, stateKey } from '../../src/state/location.js';
import { exampleStacks } from '../clouds/fixtures.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'kube-access-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: [{name: acme-eu, cluster: {server: "https://eks.mock"}}]\n';
const stacks = exampleStacks('multicloud', 'terraform');
const mesh = stacks.find((s) => s.id === 'mesh/eu')!;
const cluster = stacks.find((s) => s.id === 'cluster/eu')!;
const outputs =
  (values: Record<string, string>): StackOutputReader =>
  (id, name) =>
    Promise.resolve(values[`${id}#${name}`]);

describe('the plan path of a cloud region whose cluster does not exist yet', () => {
  const access = regionAccess({ name: 'acme' }, mesh.region, '/p');

  test('a plan previews with the access unknown (everything to be created); apply and destroy stop with a clear error', async () => {
    const none = outputs({});
    expect(await clusterPending(access, mesh.id, 'eu', true, none)).toBe(true);
    const refusal = await clusterPending(access, mesh.id, 'eu', false, none).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ClusterNotCreatedError);
    expect((refusal as ClusterNotCreatedError).message).toBe('the cluster of region eu does not exist yet: cluster/eu has no `kubeconfig` output in its state');
    expect((refusal as ClusterNotCreatedError).hint).toContain('platform apply cluster/eu');
  });

  test('once cluster/eu has its output, nothing is pending; the cluster stack itself and file-reached regions never are', async () => {
    const applied = outputs({ 'cluster/eu#kubeconfig': KUBECONFIG });
    expect(await clusterPending(access, mesh.id, 'eu', false, applied)).toBe(false);
    expect(await clusterPending(access, cluster.id, 'eu', false, outputs({}))).toBe(false);
    const explicit = regionAccess({ name: 'acme' }, { ...mesh.region, cluster: { kubeconfig: '/k', context: 'c' } }, '/p');
    expect(await clusterPending(explicit, mesh.id, 'eu', false, outputs({}))).toBe(false);
  });

  test('in-process readers (drift, plan live values) get the kubeconfig in memory, or are told the cluster does not exist', async () => {
    const resolved = await resolveKubeAccess({ name: 'acme' }, mesh.region, '/p', outputs({ 'cluster/eu#kubeconfig': KUBECONFIG }));
    expect(resolved).toEqual({ kubeconfig: 'the kubeconfig output of cluster/eu', context: 'acme-eu', kubeconfigData: KUBECONFIG });
    await expect(resolveKubeAccess({ name: 'acme' }, mesh.region, '/p', outputs({}))).rejects.toBeInstanceOf(ClusterNotCreatedError);
    const local = { ...mesh.region, cloud: 'local' as const };
    expect(await resolveKubeAccess({ name: 'acme' }, local, '/p', outputs({}))).toEqual({ kubeconfig: '/p/.platform/local/kubeconfig', context: 'eu' });
  });

  test('the orchestrator runs every Kubernetes stack of a cloud region after its cluster stack (the DAG edge)', () => {
    const byId = new Map(stacks.map((s) => [s.id, s]));
    const reaches = (id: string, target: string): boolean => id === target || byId.get(id)!.dependsOn.some((d) => reaches(d, target));
    for (const s of stacks.filter((x) => x.layer !== 'cluster')) expect(reaches(s.id, `cluster/${s.region.name}`), s.id).toBe(true);
  });
});

describe("the engines' state readers give a stack output in clear, in memory", () => {
  test('OpenTofu: outputs.<name>.value of the cluster stack state (sensitive or not)', async () => {
    const dir = tempDir();
    const location = resolveStateLocation(undefined, dir);
    const file = join(location.dir!, stateKey(location, terraformStateKey(location, 'cluster/eu')));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 4, outputs: { kubeconfig: { value: KUBECONFIG, type: 'string', sensitive: true } }, resources: [] }));
    const reader = terraformStateReader({ projectDir: dir, project: 'acme', state: location });
    expect(await reader.output('cluster/eu', 'kubeconfig')).toBe(KUBECONFIG);
    expect(await reader.output('cluster/eu', 'other')).toBeUndefined();
    expect(await reader.output('cluster/us', 'kubeconfig')).toBeUndefined();
  });

  test("Pulumi: a secret stack output, decrypted with the project passphrase and the stack's salt (the passphrase secrets manager's scheme)", async () => {
    const dir = tempDir();
    const passphrase = 'correct horse battery staple';
    process.env.PLATFORM_PASSPHRASE = passphrase;
    try {
      // As pulumi's passphrase manager writes them: key = PBKDF2-SHA256(passphrase, salt, 1e6, 32); AES-256-GCM, `v1:<nonce>:<ciphertext+tag>`.
      const salt = randomBytes(8);
      const key = pbkdf2Sync(passphrase, salt, 1_000_000, 32, 'sha256');
      const seal = (plain: string): string => {
        const nonce = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key, nonce);
        const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
        return `v1:${nonce.toString('base64')}:${body.toString('base64')}`;
      };
      const checkpoint = {
        version: 3,
        checkpoint: {
          stack: 'organization/acme/cluster.eu',
          latest: {
            secrets_providers: { type: 'passphrase', state: { salt: `v1:${salt.toString('base64')}:${seal('pulumi')}` } },
            resources: [
              {
                type: 'pulumi:pulumi:Stack',
                outputs: {
                  objectCount: 3,
                  kubeconfig: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext: seal(JSON.stringify(KUBECONFIG)) },
                },
              },
            ],
          },
        },
      };
      const location = resolveStateLocation(undefined, dir);
      const file = join(location.dir!, checkpointKey('acme', 'cluster/eu'));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(checkpoint));
      const reader = pulumiStateReader({ projectDir: dir, project: 'acme', state: location });
      expect(await reader.output('cluster/eu', 'kubeconfig')).toBe(KUBECONFIG);
      expect(await reader.output('cluster/us', 'kubeconfig')).toBeUndefined();

      process.env.PLATFORM_PASSPHRASE = 'another passphrase';
      await expect(pulumiStateReader({ projectDir: dir, project: 'acme', state: location }).output('cluster/eu', 'kubeconfig')).rejects.toThrow(
        /cannot decrypt a secret output/,
      );
    } finally {
      delete process.env.PLATFORM_PASSPHRASE;
    }
  }, 30_000);
});
