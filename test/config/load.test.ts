import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';

describe('loadConfig', () => {
  it('loads the examples', () => {
    for (const f of ['examples/local/platform.yaml', 'examples/multicloud/platform.yaml']) {
      const { config } = loadConfig(f);
      expect(config.apiVersion).toBe('platform.dev/v1');
    }
  });

  it('reports unknown keys with file:line and a suggestion', () => {
    const text = 'apiVersion: platform.dev/v1\nname: acme\nregions:\n  - name: eu\n    cloud: local\n    locaton: x\n    role: primary\n';
    try {
      parseConfig(text, 'p.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      const p = (e as UsageError).problems;
      expect(p.map((x) => x.where)).toContain('p.yaml:6:5');
      expect(p.find((x) => x.where === 'p.yaml:6:5')?.message).toContain('did you mean "location"');
    }
  });
});
