/**
 * kubernetes-models' prometheus-operator validators compile one RE2 pattern as their module loads, and
 * so load and compile re2-wasm's WebAssembly (~100–200 ms) in every command that builds objects — though
 * we never run those validators. The CLI bundle maps `re2-wasm` here (scripts/bundle.mjs): the same RE2,
 * compiled on first use. Only `test` is used by the generated validators.
 */
import { createRequire } from 'node:module';

interface Compiled {
  test(input: string): boolean;
}
type RE2Class = new (pattern: string, flags?: string) => Compiled;

// Not `require`: the bundler maps a literal require('re2-wasm') back to this file.
const loadModule = createRequire(import.meta.url);

export class RE2 {
  readonly #pattern: string;
  readonly #flags: string | undefined;
  #compiled: Compiled | undefined;

  constructor(pattern: string, flags?: string) {
    this.#pattern = pattern;
    this.#flags = flags;
  }

  test(input: string): boolean {
    this.#compiled ??= new (loadModule('re2-wasm') as { RE2: RE2Class }).RE2(this.#pattern, this.#flags);
    return this.#compiled.test(input);
  }
}
