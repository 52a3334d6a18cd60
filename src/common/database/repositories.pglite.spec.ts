import { pgliteHarness } from '../../../test/contracts/pglite-harness';
import { describeRepositoryContract } from '../../../test/contracts/repositories.contract';

// The repository contract on the embedded default, PGlite in memory; the same suite runs on
// PostgreSQL in test/integration/repositories-postgres.int-spec.ts.
describeRepositoryContract(pgliteHarness());
