import { describe, expect, it } from 'vitest';
import { pointerToPropertyPath, propertyPathToPointer } from '../../../src/engines/pulumi/paths.js';
import { valueAt } from '../../../src/objects/pointer.js';

describe('property paths ↔ JSON pointers', () => {
  const cases: Array<[string, string]> = [
    ['/spec/replicas', 'manifest.spec.replicas'],
    ['/spec/template/spec/containers/0/image', 'manifest.spec.template.spec.containers[0].image'],
    ['/metadata/labels/platform.dev~1stack', 'manifest.metadata.labels["platform.dev/stack"]'],
    ['/data/a"b', 'manifest.data["a\\"b"]'],
    ['/spec/http/0/route/1/weight', 'manifest.spec.http[0].route[1].weight'],
  ];
  it.each(cases)('%s ↔ %s', (pointer, path) => {
    expect(pointerToPropertyPath(pointer, 'manifest')).toBe(path);
    expect(propertyPathToPointer(path)).toEqual({ root: 'manifest', pointer });
  });
  it('the root alone is the whole value', () => {
    expect(propertyPathToPointer('manifest')).toEqual({ root: 'manifest', pointer: '/' });
  });
  it('reads values by pointer', () => {
    const v = { spec: { http: [{ route: [{ weight: 90 }, { weight: 10 }] }] }, metadata: { labels: { 'a/b': 'x' } } };
    expect(valueAt(v, '/spec/http/0/route/1/weight')).toBe(10);
    expect(valueAt(v, '/metadata/labels/a~1b')).toBe('x');
    expect(valueAt(v, '/spec/missing/deeper')).toBeUndefined();
  });
});
