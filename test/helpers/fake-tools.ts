/** Fake tool binaries on a temp PATH with a temp toolchain cache (the version probes only read their output). */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { forgetResolvedTools } from '../../src/toolchain/discover.js';

/** A shell script that prints `output` (all a version probe looks at). */
export function fakeBinary(file: string, output: string): string {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' '${output}'\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Each test gets PATH=<tmp>/bin and PLATFORM_TOOLCHAIN_DIR=<tmp>/cache; returns the current <tmp>. */
export function useTempToolchain(): () => string {
  let dir = '';
  const saved = { PATH: process.env.PATH, PLATFORM_TOOLCHAIN_DIR: process.env.PLATFORM_TOOLCHAIN_DIR };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'platform-tools-'));
    process.env.PLATFORM_TOOLCHAIN_DIR = join(dir, 'cache');
    process.env.PATH = join(dir, 'bin');
    forgetResolvedTools();
  });
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.PLATFORM_TOOLCHAIN_DIR === undefined) delete process.env.PLATFORM_TOOLCHAIN_DIR;
    else process.env.PLATFORM_TOOLCHAIN_DIR = saved.PLATFORM_TOOLCHAIN_DIR;
    forgetResolvedTools();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}
