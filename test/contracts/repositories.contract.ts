import type { DatabaseHarness } from './database-harness';
import { describeMigratorContract } from './migrator.contract';
import { describeAppendContract } from './task-messages-append.contract';
import { describeLogContract } from './task-messages-log.contract';
import { describeTasksRepositoryContract } from './tasks-repository.contract';

/**
 * The one repository contract suite (issue 2, item 7), run against every storage backend the
 * machine can run: PGlite in `npm test`, PostgreSQL in `npm run test:integration`. It drives the
 * repositories through their abstract classes only, as the rest of the app sees them.
 */
export function describeRepositoryContract(harness: DatabaseHarness): void {
  describe(`repository contract on ${harness.name}`, () => {
    // Starting PGlite takes seconds on a busy machine; the default hook timeout is too short.
    beforeAll(() => harness.setUp(), 120_000);
    afterAll(() => harness.tearDown(), 60_000);

    describeMigratorContract(harness);
    describeTasksRepositoryContract(harness);
    describeAppendContract(harness);
    describeLogContract(harness);
  });
}
