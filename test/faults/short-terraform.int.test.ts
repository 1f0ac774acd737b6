/**
 * `npm test`'s share of the fault suite (test/faults/suite.ts) for the terraform engine: SIGINT, kill -9
 * of the process group, a truncated state. The pulumi half is short-pulumi; every fault against both
 * engines is `npm run test:faults`.
 */
import { faultSuite } from './suite.js';

faultSuite('terraform', ['SIGINT', 'kill -9', 'truncated state']);
