/** The fault suite (test/faults/suite.ts) against the pulumi engine, on its own local plane. */
import { faultSuite } from './suite.js';

faultSuite('pulumi');
