/**
 * tofu runs in a process group of its own, so a kill -9 of the CLI's group does not reach it: it gets a
 * parent-death SIGINT instead (setpriv, Linux), stops as after a Ctrl-C and is not left running. A shell
 * script stands in for tofu (PLATFORM_TF_BIN): it records the SIGINT it gets. The real tofu under a
 * killed apply is test/faults (kill -9).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { isProcessAlive } from '../../../src/process.js';

const TOFU_MODULE = fileURLToPath(new URL('../../../dist/engines/terraform/tofu.js', import.meta.url));
let dir: string | undefined;
let tofuPid = 0;
afterEach(() => {
  if (isProcessAlive(tofuPid)) process.kill(tofuPid, 'SIGKILL'); // a failed run leaves no stand-in behind
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it.runIf(process.platform === 'linux')(
  'a tofu whose CLI is killed with -9 gets one SIGINT and stops',
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'platform-tofu-orphan-'));
    const fakeTofu = join(dir, 'tofu');
    // Prints its pid, then waits; a SIGINT is written down and ends it, as tofu's clean cancel does.
    writeFileSync(fakeTofu, `#!/bin/sh\ntrap 'echo SIGINT >> "${dir}/signals"; exit 0' INT\necho $$ > "${dir}/pid"\nwhile :; do sleep 0.1; done\n`);
    chmodSync(fakeTofu, 0o755);
    // A stand-in for the CLI: runs "tofu" through runTofu, as the engine does, and waits.
    const cli = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { runTofu } = await import(${JSON.stringify(TOFU_MODULE)}); await runTofu({ file: ${JSON.stringify(fakeTofu)}, cliConfig: '', env: {} }, ['plan'], { cwd: ${JSON.stringify(dir)} });`,
      ],
      { stdio: 'inherit' },
    );
    const pidFile = join(dir, 'pid');
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    tofuPid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(isProcessAlive(tofuPid)).toBe(true);
    cli.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (isProcessAlive(tofuPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(isProcessAlive(tofuPid)).toBe(false);
    expect(readFileSync(join(dir, 'signals'), 'utf8')).toBe('SIGINT\n'); // one SIGINT: tofu's clean stop, not a forced one
  },
  30_000,
);
