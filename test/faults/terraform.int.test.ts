/** The fault suite (test/faults/suite.ts) against the terraform engine, on its own local plane. */
import { faultSuite } from './suite.js';

faultSuite('terraform');
