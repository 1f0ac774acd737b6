/** The soak (test/soak/soak.ts) against the terraform engine, on its own local plane: SOAK_CYCLES cycles (1 in `npm test`, 30 in `npm run test:soak`). */
import { soakSuite } from './soak.js';

soakSuite('terraform');
