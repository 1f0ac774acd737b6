/**
 * What `generate service` does to platform.yaml: block-style YAML, the user's comments and layout kept
 * byte for byte (issue 14 item 2). Unit tests: generateService on files in a temp folder, no CLI.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { generateService } from '../../src/generate/service.js';
import { initProject } from '../../src/init.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'platform-gen-yaml-'));

/** No flow collections anywhere in the file: every list and map is block style. */
function expectBlockStyle(text: string): void {
  expect(text).not.toMatch(/[[{]/);
}

/** `before`'s lines all appear in `after`, in order and unchanged (only whole lines were added). */
function expectLinesKept(before: string, after: string): void {
  const added = after.split('\n');
  let i = 0;
  for (const line of before.split('\n')) {
    while (i < added.length && added[i] !== line) i++;
    expect(i, `line ${JSON.stringify(line)} was changed or moved`).toBeLessThan(added.length);
    i++;
  }
}

describe('generate service: the YAML it writes', () => {
  it('after init, two services are block-style items under services:', () => {
    const dir = tmp();
    const file = join(dir, 'platform.yaml');
    initProject(
      file,
      { name: 'shop', engine: 'pulumi', local: true, regions: ['eu', 'us'], locations: {}, tenant: 'team-a', owner: 'owner@example.com' },
      { packageJson: false },
    );
    generateService({ configFile: file, name: 'checkout', tenant: 'team-a' });
    generateService({ configFile: file, name: 'search', tenant: 'team-a', port: 9000 });
    const text = readFileSync(file, 'utf8');
    expectBlockStyle(text.split('\nservices:')[1]);
    expect(text).toMatchSnapshot();
    expect(loadConfig(file).config.services.map((s) => s.name)).toEqual(['checkout', 'search']);
  });

  it("keeps a hand-written file's comments, blank lines, quoting and indentation", () => {
    const dir = tmp();
    const file = join(dir, 'platform.yaml');
    const before = [
      '# Acme estate — owned by the platform team.',
      'apiVersion: platform.dev/v1',
      'name: "acme"   # quoted on purpose',
      '',
      'regions:',
      "- name: eu            # compact lists: the dash at the key's column",
      '  cloud: local',
      '  location: local-eu',
      '  role: primary',
      '',
      'tenants:',
      '- name: payments',
      '  plan: starter',
      '  owners:',
      '  - ana@example.com',
      '',
      '# Services, newest last.',
      'services:',
      '- name: checkout',
      '  tenant: payments',
      "  image: 'ghcr.io/acme/checkout:1.0.0'",
      '  port: 8080',
      '  resources:',
      '      cpu: 250m       # four-space maps in this file',
      '      memory: 256Mi',
      '  # keep checkout first',
      '',
      '# end of services',
      '',
    ].join('\n');
    writeFileSync(file, before);
    generateService({ configFile: file, name: 'orders', tenant: 'payments' });
    const after = readFileSync(file, 'utf8');
    expectLinesKept(before, after);
    expectBlockStyle(after.split('\nservices:')[1]);
    expect(after).toMatchSnapshot();
    expect(
      parseDocument(after)
        .toJS()
        .services.map((s: { name: string }) => s.name),
    ).toEqual(['checkout', 'orders']);
  });

  it('replaces an empty `services: []` (keeping its comment) and adds services: when there is none', () => {
    const base =
      'apiVersion: platform.dev/v1\nname: acme\nregions:\n  - name: eu\n    cloud: local\n    location: local-eu\n    role: primary\ntenants:\n  - name: payments\n    plan: starter\n    owners: [ana@example.com]\n';
    for (const [label, before] of [
      ['empty flow list', `${base}services: []  # none yet\n# trailing comment\n`],
      ['no services key', base.trimEnd()],
    ] as const) {
      const dir = tmp();
      const file = join(dir, 'platform.yaml');
      writeFileSync(file, before);
      generateService({ configFile: file, name: 'orders', tenant: 'payments' });
      const after = readFileSync(file, 'utf8');
      expectBlockStyle(after.split('\nservices:')[1]);
      expect(after, label).toMatchSnapshot(label);
      expect(loadConfig(file).config.services.map((s) => s.name)).toEqual(['orders']);
    }
  });
});
