/**
 * Which policies exist, for the config rules (a waiver or an enforcement entry naming an unknown policy
 * is an invalid config) and for the policy gate: the built-in pack shipped in `<package>/policies/` and
 * the project's own `policies/*.rego` beside platform.yaml. A policy is a Rego file with `deny`/`warn`
 * rules; its name is the last segment of its package (conftest's convention: `package policies.registry`
 * → `registry`). `*_test.rego` files hold `opa test` cases, not policies.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../paths.js';

export interface PolicyFile {
  /** The policy name: the last segment of the package. */
  name: string;
  /** The full package path, e.g. `policies.registry`. */
  package: string;
  file: string;
  /**
   * The object kinds its rules are about (Kubernetes kinds, cloud resources' Terraform types), from the
   * package's OPA METADATA `custom: { kinds: [...] }`: the gate evaluates it for those objects only.
   * Absent: every object.
   */
  kinds?: string[];
}

export const builtinPolicyDir = (): string => join(packageRoot(), 'policies');
export const projectPolicyDir = (projectDir: string): string => join(projectDir, 'policies');

const PACKAGE = /^\s*package\s+([A-Za-z_][\w.]*)/m;
const RULE_HEAD = /^\s*(deny|warn)\b/m;

/** The policies defined by the `.rego` files of a directory (not recursive; none when it does not exist). */
export function policyFilesIn(dir: string): PolicyFile[] {
  if (!existsSync(dir)) return [];
  const out: PolicyFile[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (!entry.endsWith('.rego') || entry.endsWith('_test.rego')) continue;
    const file = join(dir, entry);
    const text = readFileSync(file, 'utf8');
    const pkg = PACKAGE.exec(text)?.[1];
    if (!pkg || !RULE_HEAD.test(text)) continue; // a helper library, not a policy
    const kinds = metadataKinds(text);
    out.push({ name: pkg.slice(pkg.lastIndexOf('.') + 1), package: pkg, file, ...(kinds ? { kinds } : {}) });
  }
  return out;
}

/** `custom.kinds` of the METADATA comment block above the package (OPA's annotation syntax: YAML in comments). */
function metadataKinds(text: string): string[] | undefined {
  const m = /^# METADATA\n((?:#.*\n)*?)\s*package\s/m.exec(text);
  if (!m) return undefined;
  try {
    const meta = parse(m[1].replace(/^# ?/gm, '')) as { custom?: { kinds?: unknown } } | null;
    const kinds = meta?.custom?.kinds;
    return Array.isArray(kinds) && kinds.every((k) => typeof k === 'string') && kinds.length ? kinds : undefined;
  } catch {
    return undefined; // OPA itself reports a malformed annotation when it loads the file
  }
}

/** Every policy name a config may refer to: the built-in pack's and the project's. */
export function knownPolicyNames(projectDir: string): Set<string> {
  return new Set([...policyFilesIn(builtinPolicyDir()), ...policyFilesIn(projectPolicyDir(projectDir))].map((p) => p.name));
}
