/**
 * Control-plane installs rendered from the projects' own artefacts: Istio's Helm charts (`helm
 * template`, no cluster, no release objects), prometheus-operator's `bundle.yaml`, Velero's install code
 * (`velero-manifests`, see recipes.ts). A rendering is a pure function of the pinned versions and the
 * spec, so it is kept once per (versions, spec) digest: in memory, and on disk under the cache's
 * `rendered/` (a synth of a hundred stacks renders each distinct install once, later runs not at all).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ExternalError } from '../errors.js';
import type { KubeObject } from '../objects/model.js';
import { explicitRbacVerbs, hardenWorkloads } from '../stacks/hardening.js';
import type { InstallSpec } from '../stacks/types.js';
import { toolStatus } from './discover.js';
import { installSourceDir, renderedInstallsDir } from './layout.js';
import { INSTALL_SOURCES, KUBERNETES_VERSION, TOOL_VERSIONS, type ToolName } from './versions.js';

const hardened = new Map<string, KubeObject[]>();

/** The objects of one install, in rendered order, hardened. Each call returns fresh objects (callers may mutate them). */
export function renderInstall(spec: InstallSpec): KubeObject[] {
  const memoKey = JSON.stringify(spec);
  let objects = hardened.get(memoKey);
  if (!objects) {
    // Only the upstream rendering is kept on disk: omitting kinds and hardening are ours, cheap, and
    // change with this code, so they are applied after reading it back.
    const key = renderKey(spec);
    const raw = readRendered(key) ?? writeRendered(key, renderSource(spec));
    const omit = new Set(spec.kind === 'helm-chart' ? (spec.omitKinds?.kinds ?? []) : []);
    objects = explicitRbacVerbs(
      hardenWorkloads(
        raw.filter((o) => !omit.has(o.kind)),
        spec.hardening,
      ),
    );
    hardened.set(memoKey, objects);
  }
  return structuredClone(objects);
}

/** What the upstream rendering depends on: the spec's source part, the renderer's and the source's versions. */
export function renderKey(spec: InstallSpec): string {
  const { hardening: _hardening, configSource: _configSource, ...source } = spec;
  const { omitKinds: _omit, ...rendered } = source as typeof source & { omitKinds?: unknown };
  const inputs =
    spec.kind === 'helm-chart'
      ? { rendered, helm: TOOL_VERSIONS.helm, source: INSTALL_SOURCES[spec.source].version, kube: KUBERNETES_VERSION }
      : spec.kind === 'prometheus-operator-bundle'
        ? { rendered, source: INSTALL_SOURCES['prometheus-operator-bundle'].version }
        : { rendered, velero: TOOL_VERSIONS['velero-manifests'] };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 32);
}

function renderSource(spec: InstallSpec): KubeObject[] {
  switch (spec.kind) {
    case 'helm-chart':
      return helmTemplate(spec.release, spec.source, join(installSourceDir(spec.source), spec.chart), spec.namespace, spec.values);
    case 'prometheus-operator-bundle':
      return operatorBundle(spec.namespace, spec.image);
    case 'velero':
      return veleroResources(spec.options);
  }
}

function cachedTool(name: ToolName): string {
  const status = toolStatus(name);
  if (status.path) return status.path;
  throw new ExternalError(
    `${name} ${TOOL_VERSIONS[name]} is not installed (the control-plane installs are rendered with it)`,
    'Run `platform toolchain install`.',
  );
}

function sourceFile(path: string, source: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ExternalError(`the ${source} install source is not in the toolchain cache (${path})`, 'Run `platform toolchain install`.');
  }
}

/** `helm template` with Helm's own folders in a temp dir: nothing read from or written to the user's Helm setup. */
function helmTemplate(release: string, source: string, chartDir: string, namespace: string, values: Record<string, unknown>): KubeObject[] {
  sourceFile(join(chartDir, 'Chart.yaml'), source);
  const helm = cachedTool('helm');
  const home = mkdtempSync(join(tmpdir(), 'platform-helm-'));
  try {
    const valuesFile = join(home, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(values));
    const env = { ...process.env, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
    let out: string;
    try {
      out = execFileSync(helm, ['template', release, chartDir, '--namespace', namespace, '--kube-version', KUBERNETES_VERSION, '--values', valuesFile], {
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      const stderr = ((e as { stderr?: string }).stderr ?? '').trim();
      throw new ExternalError(
        `helm template ${release} (${chartDir}) failed: ${stderr.split('\n').slice(-3).join(' ')}`,
        'The chart or its values changed: check the install spec in src/stacks/.',
      );
    }
    return parseManifests(out, `helm template ${release}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Every Kubernetes object of a multi-document YAML stream (empty documents and Helm's comments skipped). */
export function parseManifests(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new ExternalError(`${source}: not valid YAML: ${doc.errors[0].message}`);
    const value = doc.toJS({ maxAliasCount: -1 }) as KubeObject | null;
    if (value && typeof value === 'object' && value.kind) out.push(cleanRendered(value));
  }
  return out;
}

/**
 * The operator's Deployment and RBAC from its bundle, moved from `default` into our namespace (what
 * kube-prometheus does). Its CRDs are left out: the CRD bundle of the same version installs them.
 */
function operatorBundle(namespace: string, image: string): KubeObject[] {
  const path = join(installSourceDir('prometheus-operator-bundle'), 'bundle.yaml');
  const objects = parseManifests(sourceFile(path, 'prometheus-operator-bundle'), path).filter((o) => o.kind !== 'CustomResourceDefinition');
  for (const o of objects) {
    if (o.metadata.namespace) o.metadata.namespace = namespace;
    for (const subject of (o.subjects as Array<{ namespace?: string }> | undefined) ?? []) if (subject.namespace) subject.namespace = namespace;
    if (o.kind === 'Deployment') {
      const containers = (o.spec as { template: { spec: { containers: Array<{ name: string; image: string }> } } }).template.spec.containers;
      const operator = containers.find((c) => c.name === 'prometheus-operator');
      if (operator && operator.image !== image)
        throw new ExternalError(
          `prometheus-operator bundle runs ${operator.image}, the versions table pins ${image}`,
          'Bump both together (src/stacks/images.ts, src/toolchain/versions.ts).',
        );
    }
  }
  return objects;
}

/** Velero's server and node agent; CRDs (the CRD bundle) and the namespace (the cluster stack) are owned elsewhere. */
function veleroResources(options: Extract<InstallSpec, { kind: 'velero' }>['options']): KubeObject[] {
  const tool = cachedTool('velero-manifests');
  let out: string;
  try {
    out = execFileSync(tool, [], { input: JSON.stringify(options), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    throw new ExternalError(`velero-manifests failed: ${((e as { stderr?: string }).stderr ?? (e as Error).message).trim()}`);
  }
  return (JSON.parse(out) as KubeObject[]).filter((o) => o.kind !== 'CustomResourceDefinition' && o.kind !== 'Namespace').map(cleanRendered);
}

/** Drop what renderers print but nobody applies: `status`, `creationTimestamp: null`, empty labels. */
function cleanRendered(o: KubeObject): KubeObject {
  const { status: _status, ...rest } = o;
  const metadata = { ...rest.metadata };
  if (metadata.creationTimestamp === null) delete metadata.creationTimestamp;
  const spec = rest.spec as { template?: { metadata?: Record<string, unknown> } } | undefined;
  if (spec?.template?.metadata && spec.template.metadata.creationTimestamp === null) delete spec.template.metadata.creationTimestamp;
  return { ...rest, metadata };
}

function readRendered(key: string): KubeObject[] | undefined {
  try {
    return JSON.parse(readFileSync(join(renderedInstallsDir(), `${key}.json`), 'utf8')) as KubeObject[];
  } catch {
    return undefined;
  }
}

function writeRendered(key: string, objects: KubeObject[]): KubeObject[] {
  const dir = renderedInstallsDir();
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${key}.json.${process.pid}`);
    writeFileSync(tmp, JSON.stringify(objects));
    renameSync(tmp, join(dir, `${key}.json`));
  } catch {
    // a read-only cache still works, only slower
  }
  return objects;
}
