import { PROJECT_LABEL, STACK_LABEL, stackLabelValue } from './types.js';
import type { DesiredObject } from '../objects/model.js';

/** Every object a stack creates carries the ownership labels (docs/config.md "Stack IDs"). */
export function withOwnership(objects: DesiredObject[], project: string, stackId: string): DesiredObject[] {
  return objects.map((o) => ({
    ...o,
    manifest: {
      ...o.manifest,
      metadata: {
        ...o.manifest.metadata,
        labels: { ...o.manifest.metadata.labels, [PROJECT_LABEL]: project, [STACK_LABEL]: stackLabelValue(stackId) },
      },
    },
  }));
}
