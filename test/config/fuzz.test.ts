/**
 * Property-based fuzzing of the config loader (#20): mutations of the shipped examples and of valid
 * `services/*\/overrides.yaml` / `services/common.yaml` must end in a valid config or a UsageError (exit 2)
 * with file:line problems — never another error (a bug), never a stack trace, and fast. A sample of the
 * mutants also goes through the built CLI (`platform validate`), which must exit 0 or 2.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { applyServiceOverrides, loadConfig, parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';
import { planStacks } from '../../src/stacks/plan.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const examples = ['local', 'multicloud', 'azure'].map((name) => {
  const text = readFileSync(join(repoRoot, 'examples', name, 'platform.yaml'), 'utf8');
  return { name, text, data: parse(text) as unknown };
});

type Json = unknown;
type Path = Array<string | number>;

/** Every path to a value in a plain JSON-like tree (the root excluded). */
function paths(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}
const getAt = (root: Json, path: Path): Json => path.reduce<Json>((v, k) => (v as Record<string | number, Json> | undefined)?.[k], root);
function setAt(root: Json, path: Path, value: Json): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, Json> | Json[];
  const key = path[path.length - 1];
  if (value === DELETE) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else Reflect.deleteProperty(parent, key);
  } else (parent as Record<string | number, Json>)[key] = value;
}
const DELETE = Symbol('delete');

/** Values that are wrong in interesting ways: types, edges of numbers, unicode, paths, deep nesting. */
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    true,
    false,
    0,
    -1,
    1e308,
    -1e308,
    2 ** 53 + 1,
    1.5,
    Number.MAX_SAFE_INTEGER,
    '',
    ' ',
    '..',
    '../../etc/passwd',
    '/',
    'a/b',
    'ｃｈｅｃｋｏｕｔ',
    'сheckout',
    '\u0000',
    '\u202e',
    '🙂',
    'x'.repeat(300),
    '0x1F',
    '1e400',
    '.inf',
    '.nan',
    '~',
    'null',
    'yes',
    'no',
    [],
    {},
    [[[]]],
    'env:',
    'env:lower',
    'http://x',
    '* * *',
    '99.999999999',
    '-0',
  ),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3, noNullPrototype: true }),
  fc.integer({ min: 10, max: 400 }).map((depth) => {
    let v: Json = 'leaf';
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
    return v;
  }),
);

type Mutation = (data: Json, pick: (n: number) => number) => void;
/** Structural mutations of the parsed document. */
const structural = fc.array(
  fc
    .tuple(fc.constantFrom('delete', 'replace', 'swap', 'duplicate', 'rename'), hostileValue, fc.nat(), fc.nat())
    .map(([op, value, a, b]): Mutation => (data) => {
      const all = paths(data);
      if (all.length === 0) return;
      const p = all[a % all.length];
      const q = all[b % all.length];
      if (op === 'delete') setAt(data, p, DELETE);
      else if (op === 'replace') setAt(data, p, value);
      else if (op === 'swap') {
        const [x, y] = [structuredClone(getAt(data, p)), structuredClone(getAt(data, q))];
        if (p.join('.').startsWith(q.join('.')) || q.join('.').startsWith(p.join('.'))) return;
        setAt(data, p, y);
        setAt(data, q, x);
      } else if (op === 'duplicate') {
        const parent = getAt(data, p.slice(0, -1));
        if (Array.isArray(parent)) parent.push(structuredClone(getAt(data, p)));
      } else {
        const parent = getAt(data, p.slice(0, -1));
        if (parent && typeof parent === 'object' && !Array.isArray(parent) && typeof p[p.length - 1] === 'string') {
          const v = (parent as Record<string, Json>)[p[p.length - 1] as string];
          Reflect.deleteProperty(parent, p[p.length - 1]);
          (parent as Record<string, Json>)[typeof value === 'string' ? value : JSON.stringify(value)] = v;
        }
      }
    }),
  { minLength: 1, maxLength: 4 },
);

/** Text-level YAML edge cases the tree cannot express: anchors, merge keys, tags, duplicate keys, truncation. */
type TextEdit = (text: string) => string;
const textual: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.constant((t: string) => t.replace(/^regions:/m, 'regions: &r').replace(/^tenants:/m, 'extra: *r\ntenants:')),
  fc.constant((t: string) => `base: &b { replicas: 3 }\n${t.replace(/^(\s+)replicas: \d+/m, '$1<<: *b')}`),
  fc.constant((t: string) => t.replace(/^(\s+)replicas: (\d+)/m, '$1replicas: !!str $2')),
  fc.constant((t: string) => t.replace(/^(\s+)port: (\d+)/m, '$1port: !custom $2')),
  fc.constant((t: string) => t.replace(/^name: (.*)$/m, 'name: $1\nname: other')),
  fc.constant((t: string) => t.replace(/^(\s+)replicas: (\d+)/m, '$1replicas: 99999999999999999999999999999')),
  fc.constant((t: string) => `${t}\n---\nname: second\n`),
  fc.constant((t: string) => `%YAML 1.1\n---\n${t}`),
  fc.constant((t: string) => t.replace(/: /, ': [')),
  fc.constant((t: string) => t.replace(/^(\s+)- name:/m, '$1- ? [a]\n$1  : b\n$1  name:')),
  fc.constant((t: string) => `a: &a [*a]\n${t}`),
  fc.constant((t: string) => `${'['.repeat(5000)}${']'.repeat(5000)}\n${t}`),
  fc.constant((t: string) => t.replace(/\n/g, '\r\n')),
  fc.constant((t: string) => `\ufeff${t}`),
  fc.constant((t: string) => t.replace(/ {2}/g, '\t')),
  fc.nat().map((n) => (t: string) => t.slice(0, n % t.length)),
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 8 })).map(
    ([n, s]) =>
      (t: string) =>
        t.slice(0, n % t.length) + s + t.slice(n % t.length),
  ),
);

/** Outcome of loading one config as the CLI's validate does (parse, overrides, plan). */
function outcome(run: () => void): { ok: boolean; usage?: UsageError; ms: number } {
  // CPU time, not wall time: the machine running the suite is shared; what must stay bounded is the work.
  const start = process.cpuUsage();
  const ms = (): number => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  try {
    run();
    return { ok: true, ms: ms() };
  } catch (e) {
    if (e instanceof UsageError) {
      // Every problem names a place in a file (or a file); nothing is an untyped error in disguise.
      for (const p of e.problems) expect(p.message, JSON.stringify(p)).not.toMatch(/\bat .*:\d+:\d+\)|TypeError|undefined is not|Cannot read prop/);
      return { ok: false, usage: e, ms: ms() };
    }
    throw e; // a bug: fast-check shrinks and reports the input
  }
}

const interesting: string[] = [];
const remember = (text: string, usage: boolean): void => {
  if (interesting.length < 6 && (usage ? interesting.length % 2 === 0 : interesting.length % 2 === 1)) interesting.push(text);
};

describe('config loader fuzzing', () => {
  it(`${RUNS} structural mutations of the examples end in a config or a UsageError, each < 1 s of CPU`, () => {
    let slowest = 0;
    fc.assert(
      fc.property(fc.constantFrom(...examples), structural, (example, mutations) => {
        const data = structuredClone(example.data);
        for (const m of mutations) m(data, (n) => n);
        const text = stringify(data, { aliasDuplicateObjects: false });
        const r = outcome(() => planStacks(parseConfig(text, 'platform.yaml')));
        slowest = Math.max(slowest, r.ms);
        expect(r.ms).toBeLessThan(1000);
        remember(text, !r.ok);
      }),
      { numRuns: RUNS },
    );
    expect(slowest).toBeLessThan(1000);
  }, 300_000);

  it(`${Math.ceil(RUNS / 3)} textual YAML edge cases (anchors, merge keys, tags, duplicate keys, truncation, bytes)`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.array(textual, { minLength: 1, maxLength: 3 }), (example, edits) => {
        const text = edits.reduce((t, edit) => edit(t), example.text);
        const r = outcome(() => planStacks(parseConfig(text, 'platform.yaml')));
        expect(r.ms).toBeLessThan(1000);
        remember(text, !r.ok);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  }, 300_000);

  const project = mkdtempSync(join(tmpdir(), 'platform-fuzz-overrides-'));
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  const validOverrides = {
    image: 'ghcr.io/acme/checkout:2.0.0',
    replicas: 3,
    resources: { cpu: '200m', memory: '256Mi' },
    autoscale: { min: 1, max: 5, cpuPercent: 60 },
    probes: { path: '/ready' },
    env: { LOG_LEVEL: 'debug' },
  };

  it.each(['services/checkout/overrides.yaml', 'services/common.yaml'])(
    `${Math.ceil(RUNS / 3)} mutations of %s end in a config or a UsageError naming that file`,
    (file) => {
      const config = parseConfig(examples[0].text, 'platform.yaml');
      const abs = join(project, file);
      mkdirSync(join(abs, '..'), { recursive: true });
      try {
        fc.assert(
          fc.property(
            fc.oneof(
              structural.map((ms) => ({
                ms,
                edits: [] as Array<(t: string) => string>,
              })),
              fc.array(textual, { maxLength: 2 }).map((edits) => ({ ms: [] as Mutation[], edits })),
            ),
            ({ ms, edits }) => {
              const data = structuredClone(validOverrides) as Json;
              for (const m of ms) m(data, (n) => n);
              const text = edits.reduce((t, edit) => edit(t), stringify(data));
              writeFileSync(abs, text);
              const r = outcome(() => planStacks(applyServiceOverrides(config, project)));
              expect(r.ms).toBeLessThan(1000);
              if (r.usage)
                expect(
                  r.usage.problems.some((p) => p.where?.includes(file.split('/').pop()!)),
                  JSON.stringify(r.usage.problems),
                ).toBe(true);
            },
          ),
          { numRuns: Math.ceil(RUNS / 3) },
        );
      } finally {
        rmSync(abs, { force: true });
      }
    },
    300_000,
  );

  it('a sample of the mutants through the CLI: exit 0 or 2, no stack trace, one JSON document', async () => {
    expect(interesting.length).toBe(6);
    const dir = mkdtempSync(join(tmpdir(), 'platform-fuzz-cli-'));
    const results = await Promise.all(
      interesting.map(async (text, i) => {
        const file = join(dir, `m${i}`, 'platform.yaml');
        mkdirSync(join(file, '..'));
        writeFileSync(file, text);
        // Loaded as the CLI does, to compare: the in-process verdict must be the CLI's exit code.
        let expected = 0;
        try {
          planStacks(loadConfig(file).config);
        } catch {
          expected = 2;
        }
        return {
          expected,
          text,
          ...(await runCli(['validate', '--json', '-c', file])),
        };
      }),
    );
    rmSync(dir, { recursive: true, force: true });
    for (const r of results) {
      expect(r.exitCode, `${r.stderr}\n--- config:\n${r.text.slice(0, 400)}`).toBe(r.expected);
      expect(r.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
      expect(r.stderr).not.toMatch(/This is a bug/);
      const doc = JSON.parse(r.stdout);
      expect(doc.version).toBe(1);
    }
  }, 180_000);
});
