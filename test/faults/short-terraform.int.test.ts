/**
 * `npm test`'s share of the fault suite (test/faults/suite.ts) for the terraform engine: kill -9 of the
 * process group (tofu, in a group of its own, must stop too), a truncated state and a tenant removed from
 * platform.yaml (orphan stacks pruned). The pulumi half is
 * short-pulumi; every fault against both engines is `npm run test:faults` (minutes per fault: npm test
 * keeps to the cheapest that guard a fix).
 */
import { faultSuite } from './suite.js';

faultSuite('terraform', ['kill -9', 'truncated state', 'removed from config']);
