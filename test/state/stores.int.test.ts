/**
 * The bucket stores against real servers started here on loopback (moto for S3, fake-gcs-server for
 * GCS, Azurite for Azure Blob), through the same code and environment variables as against the clouds:
 * read/list/write/stat/delete under the prefix, a real conditional create (two racing creators: one
 * wins), the stack lock on top, and the one clear error for a missing bucket or credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terraformLocks } from '../../src/engines/terraform/state.js';
import { resolveStateLocation } from '../../src/state/location.js';
import { acquireLock, StackLockedError, stackLockKey } from '../../src/state/lock.js';
import { openCheckedStateStore, openStateStore, type StateStore } from '../../src/state/store.js';
import { startAzurite, startGcsServer, startS3Server, type ObjectServer } from '../../src/local/object-servers.js';

const SERVERS = { s3: startS3Server, gs: startGcsServer, azblob: startAzurite } as const;

/** Runs `fn` with the server's variables in process.env (the stores read the standard chains). */
async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
  }
}

describe.each(Object.keys(SERVERS) as Array<keyof typeof SERVERS>)('the %s state store against a real server', (scheme) => {
  let server: ObjectServer | undefined;
  let store: StateStore;
  const run = <T>(fn: () => Promise<T>, extra: Record<string, string | undefined> = {}) => withEnv({ ...server!.env, ...extra }, fn);

  beforeAll(async () => {
    server = await SERVERS[scheme]();
    await server.createBucket('team-state');
    store = await run(() => openCheckedStateStore(resolveStateLocation(`${scheme}://team-state/prod/eu`, '/nowhere')));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads, lists, writes, stats and deletes under the prefix', async () => {
    await run(async () => {
      expect(await store.read('app/x.tfstate')).toBeUndefined();
      expect(await store.stat('app/x.tfstate')).toBeUndefined();
      await store.write('app/x.tfstate', '{"serial":1}');
      await store.write('.pulumi/stacks/p/app.json', Buffer.from('{}'));
      await store.write('app/x.tfstate', '{"serial":2}');
      expect((await store.read('app/x.tfstate'))?.toString()).toBe('{"serial":2}');
      expect(await store.list('')).toEqual(['.pulumi/stacks/p/app.json', 'app/x.tfstate']);
      expect(await store.list('.pulumi/')).toEqual(['.pulumi/stacks/p/app.json']);
      const info = await store.stat('app/x.tfstate');
      expect(info?.size).toBe(12);
      expect(Date.now() - Date.parse(info!.updated)).toBeLessThan(120_000);
      expect(store.describe('app/x.tfstate')).toBe(`${scheme}://team-state/prod/eu/app/x.tfstate`);
      // The prefix is a real boundary: another location in the same bucket sees none of it.
      const sibling = await openStateStore(resolveStateLocation(`${scheme}://team-state/prod/us`, '/nowhere'));
      expect(await sibling.list('')).toEqual([]);
      await store.delete('app/x.tfstate');
      await store.delete('app/x.tfstate'); // deleting what is gone is fine
      expect(await store.read('app/x.tfstate')).toBeUndefined();
    });
  });

  it("create is a real conditional write: of ten racing creators exactly one wins, and the object is the winner's", async () => {
    await run(async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.create('locks/race.json', `holder-${i}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.read('locks/race.json'))?.toString()).toBe(`holder-${results.indexOf(true)}`);
      expect(await store.create('locks/race.json', 'late')).toBe(false);
      await store.delete('locks/race.json');
      expect(await store.create('locks/race.json', 'after')).toBe(true);
      await store.delete('locks/race.json');
    });
  });

  it('the stack lock on it: a second holder is refused naming the first, and gets it after release', async () => {
    await run(async () => {
      const first = await acquireLock(store, stackLockKey('app/eu/t/s'), 'app/eu/t/s', 'apply');
      const refused = (await acquireLock(store, stackLockKey('app/eu/t/s'), 'app/eu/t/s', 'apply').catch((e: unknown) => e)) as StackLockedError;
      expect(refused).toBeInstanceOf(StackLockedError);
      expect(refused.message).toContain(`apply by ${first.holder.user}@${first.holder.host} (pid ${process.pid}`);
      expect(refused.hint).toContain(`${scheme}://team-state/prod/eu/locks/app/eu/t/s.json`);
      await first.release();
      await (await acquireLock(store, stackLockKey('app/eu/t/s'), 'app/eu/t/s', 'apply')).release();
    });
  });

  it.runIf(scheme === 'azblob')(
    "OpenTofu's azurerm lock (a lease on the state blob, its holder in the metadata): state list reads it, unlock breaks it",
    async () => {
      await run(async () => {
        const { BlobServiceClient } = await import('@azure/storage-blob');
        const ctx = { projectDir: '/nowhere', project: 'p', state: store.location };
        const blob = BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING!)
          .getContainerClient('team-state')
          .getBlockBlobClient('prod/eu/tenant/eu/t.tfstate');
        await blob.upload('{}', 2);
        expect(await terraformLocks(store, ctx, 'tenant/eu/t')).toEqual([]);
        // What azurerm does: lease the blob, name the holder in its metadata.
        const { leaseId } = await blob.getBlobLeaseClient().acquireLease(-1);
        const info = { ID: 'abc-123', Operation: 'OperationTypeApply', Who: 'ana@laptop', Created: '2026-11-20 10:00:00 UTC' };
        await blob.setMetadata({ terraformlockid: Buffer.from(JSON.stringify(info)).toString('base64') }, { conditions: { leaseId } });
        const [lock] = await terraformLocks(store, ctx, 'tenant/eu/t');
        expect(lock.holder).toEqual({ user: 'ana', host: 'laptop', pid: 0, operation: 'tofu apply (lock ID abc-123)', since: '2026-11-20 10:00:00 UTC' });
        expect(lock.where).toBe('lease on azblob://team-state/prod/eu/tenant/eu/t.tfstate');
        await lock.remove();
        expect(await terraformLocks(store, ctx, 'tenant/eu/t')).toEqual([]);
        await store.delete('tenant/eu/t.tfstate');
      });
    },
  );

  it('a missing bucket is one clear error naming it', async () => {
    const e = (await run(() => openCheckedStateStore(resolveStateLocation(`${scheme}://no-such-bucket/p`, '/nowhere'))).catch((x: unknown) => x)) as Error;
    expect(e.message).toMatch(new RegExp(`^state ${scheme}://no-such-bucket/p: (bucket|container) no-such-bucket does not exist`));
    expect((e as { hint?: string }).hint).toMatch(/Create it/);
  });
});
