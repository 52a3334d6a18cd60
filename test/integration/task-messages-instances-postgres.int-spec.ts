import { postgresHarness } from '../contracts/postgres-harness';
import { describeInstancesContract } from '../contracts/task-messages-instances.contract';

// Two instances, each with its own connection pool, writing the same task at the same time.
const harness = postgresHarness();
beforeAll(() => harness.setUp(), 60_000);
afterAll(() => harness.tearDown());
describeInstancesContract(harness);
