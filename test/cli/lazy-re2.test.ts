/** The bundle's re2-wasm stand-in: the same answers as RE2, and the WebAssembly loads only when a pattern is first used. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { RE2 } from '../../src/cli/lazy-re2.js';

const require = createRequire(import.meta.url);
const realRE2 = (require('re2-wasm') as { RE2: new (p: string, f?: string) => { test(s: string): boolean } }).RE2;

describe('lazy RE2', () => {
  it('matches as re2-wasm does, including RE2-only syntax such as (?i)', () => {
    const cases: Array<[string, string, string[]]> = [
      ['^(?i)(abort|warn)?$', 'u', ['abort', 'WARN', '', 'Warn', 'stop', 'abortx']],
      ['^[a-z]+-\\d+$', 'u', ['eu-1', 'EU-1', 'eu-', '']],
    ];
    for (const [pattern, flags, inputs] of cases) {
      const lazy = new RE2(pattern, flags);
      const real = new realRE2(pattern, flags);
      for (const input of inputs) expect(lazy.test(input), `${pattern} on ${JSON.stringify(input)}`).toBe(real.test(input));
    }
  });

  it('loads re2-wasm on the first test, not when the pattern is built', () => {
    const key = require.resolve('re2-wasm');
    Reflect.deleteProperty(require.cache, key);
    const pattern = new RE2('^(?i)x$', 'u');
    expect(require.cache[key]).toBeUndefined();
    expect(pattern.test('X')).toBe(true);
    expect(require.cache[key]).toBeDefined();
  });
});
