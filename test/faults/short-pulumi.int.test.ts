/**
 * `npm test`'s share of the fault suite (test/faults/suite.ts) for the pulumi engine: a truncated and a
 * hand-edited checkpoint, and a tenant
 * removed from platform.yaml (orphan stacks pruned). The terraform half is short-terraform; every fault against both engines
 * (signals, a killed API server, a full disk — which needs root for its tmpfs) is `npm run test:faults`.
 */
import { faultSuite } from './suite.js';

faultSuite('pulumi', ['truncated state', 'hand-edited state', 'removed from config']);
