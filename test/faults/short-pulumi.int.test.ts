/**
 * `npm test`'s share of the fault suite (test/faults/suite.ts) for the pulumi engine: SIGTERM and a full
 * disk under the state. The terraform half is short-terraform; every fault against both engines is
 * `npm run test:faults`.
 */
import { faultSuite } from './suite.js';

faultSuite('pulumi', ['SIGTERM', 'full disk']);
