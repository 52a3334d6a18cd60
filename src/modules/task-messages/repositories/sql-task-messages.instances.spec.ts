import { describeInstancesContract } from '../../../../test/contracts/task-messages-instances.contract';
import { pgliteHarness } from '../../../../test/contracts/pglite-harness';

// Two instances over one PGlite database (one connection: their statements interleave rather
// than run at once); the same cases run on PostgreSQL, with a pool each, in
// test/integration/task-messages-instances-postgres.int-spec.ts.
const harness = pgliteHarness();
beforeAll(() => harness.setUp(), 60_000);
afterAll(() => harness.tearDown());
describeInstancesContract(harness);
