import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const config = join(repoRoot, 'examples', 'local', 'platform.yaml');

/** Safety rules are checked before any engine or cluster is touched: exit 2, one JSON error document. */
describe('plan / apply / destroy refuse unsafe or unclear requests', () => {
  it.each([
    [['apply', '--all'], 'apply needs --yes when it cannot ask'],
    [['apply', '--yes'], 'apply needs --stack ID (repeatable), --affected or --all'],
    [['destroy', '--all'], 'destroy needs --yes and --confirm'],
    [['destroy', '--all', '--yes'], 'destroy --all needs --confirm all'],
    [['destroy', '--stack', 'app/eu/payments/checkout', '--yes'], 'not confirmed: app/eu/payments/checkout'],
    [['destroy', '--stack', 'app/eu/payments/checkout', '--yes', '--confirm', 'app/eu/payments/ledger'], 'not confirmed: app/eu/payments/checkout'],
    [['plan', '--all', '--stack', 'cluster/eu'], 'pass one of --stack, --affected or --all'],
    [['plan', '--stack', 'app/eu/payments/checkot'], 'did you mean "app/eu/payments/checkout"'],
    [['plan', '--parallel', '0'], '--parallel'],
  ])(
    '%j → exit 2',
    async (args, message) => {
      const r = await runCli([...args, '-c', config]);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
      const json = await runCli([...args, '-c', config, '--json']);
      expect(json.exitCode).toBe(2);
      expect(JSON.parse(json.stdout)).toMatchObject({ version: 1, error: { kind: 'usage' } });
    },
    60_000,
  );
});
