import { postgresHarness } from '../contracts/postgres-harness';
import { describeRepositoryContract } from '../contracts/repositories.contract';

// The repository contract on the machine's PostgreSQL, in a database created for this run;
// the same suite runs on PGlite in src/common/database/repositories.pglite.spec.ts.
describeRepositoryContract(postgresHarness());
