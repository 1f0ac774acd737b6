/**
 * The provider plugin leaves when pulumi is killed: nothing else would stop it (the SDK's gRPC server
 * never checks its engine), and every kill -9 of an apply used to leave one node process behind.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { isProcessAlive } from '../../../src/process.js';

const PLUGIN = fileURLToPath(new URL('../../../dist/engines/pulumi/provider/main.js', import.meta.url));

it('exits within seconds once the process that started it is killed', async () => {
  // A stand-in for pulumi: starts the plugin as its child, prints the plugin's pid, then waits. (Not
  // console.log: under FORCE_COLOR it wraps a number in colour codes.)
  const parent = spawn(
    process.execPath,
    [
      '-e',
      `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(PLUGIN)}, '127.0.0.1:1'], { stdio: ['ignore', 'pipe', 'inherit'] }); c.stdout.once('data', () => process.stdout.write(c.pid + '\\n')); setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let pluginPid: number;
  try {
    pluginPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      parent.once('exit', () => reject(new Error('the stand-in exited before the plugin started')));
    });
    expect(isProcessAlive(pluginPid)).toBe(true); // serving: it printed its port
  } finally {
    parent.kill('SIGKILL'); // also when the test fails: a live stand-in would keep Vitest from exiting
  }
  const deadline = Date.now() + 10_000;
  while (isProcessAlive(pluginPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(isProcessAlive(pluginPid)).toBe(false);
}, 30_000);
