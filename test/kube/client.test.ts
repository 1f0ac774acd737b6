/** What the one client says when an object it waits for does not go away (the wait itself: client.int). */
import { describe, expect, test } from 'vitest';
import { deletionBlockers } from '../../src/kube/client.js';

describe('deletionBlockers', () => {
  test("a Terminating Namespace: its controller's conditions (what is left in it) and its finalizers", () => {
    const terminating = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', finalizers: ['example.com/hold'] },
      spec: { finalizers: ['kubernetes'] },
      status: {
        phase: 'Terminating',
        conditions: [
          { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', message: 'All resources successfully discovered' },
          { type: 'NamespaceContentRemaining', status: 'True', message: 'Some resources are remaining: configmaps. has 2 resource instances' },
          {
            type: 'NamespaceFinalizersRemaining',
            status: 'True',
            message: 'Some content in the namespace has finalizers remaining: example.com/x in 1 resource instances',
          },
        ],
      },
    };
    expect(deletionBlockers(terminating)).toBe(
      'still there: Some resources are remaining: configmaps. has 2 resource instances; Some content in the namespace has finalizers remaining: example.com/x in 1 resource instances; finalizers example.com/hold',
    );
  });

  test('nothing to say: gone, or nothing reported', () => {
    expect(deletionBlockers(undefined)).toBeUndefined();
    expect(deletionBlockers({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBeUndefined();
  });
});
