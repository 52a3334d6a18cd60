import { at, chunk, created, newTask } from '../../../../test/contracts/contract-fixtures';
import { pgliteHarness } from '../../../../test/contracts/pglite-harness';
import {
  freshRepositories,
  type RepositoriesUnderTest,
} from '../../../../test/contracts/repositories-under-test';

const TASKS = 2000;

interface PlanCounts {
  generic: number;
  custom: number;
}

/** Plans made so far for the prepared batch statements of this session. */
async function planCounts(repos: RepositoriesUnderTest): Promise<PlanCounts> {
  const rows = await repos.db.query<{ generic_plans: string; custom_plans: string }>(
    "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'append-%'",
  );
  return {
    generic: rows.reduce((n, r) => n + Number(r.generic_plans), 0),
    custom: rows.reduce((n, r) => n + Number(r.custom_plans), 0),
  };
}

// A file of its own: PostgreSQL decides between a generic plan and one per call from the costs of
// a statement's first calls in the session, so earlier commits of other tests would decide it.
describe('the batch statement on a session of its own (PGlite)', () => {
  const harness = pgliteHarness();
  let repos: RepositoriesUnderTest;

  beforeAll(async () => {
    await harness.setUp();
    repos = await freshRepositories(harness);
  }, 60_000);
  afterAll(() => harness.tearDown());

  it('stores a run of small commits on a generic plan instead of planning each afresh', async () => {
    // Enough tasks, and their statistics, for the index scan's estimate to grow with the ids.
    const tasks = Array.from({ length: TASKS }, () => newTask());
    for (let i = 0; i < TASKS; i += 500) {
      await repos.messages.appendBatch(tasks.slice(i, i + 500).map(created), at(0));
    }
    await repos.db.query('ANALYZE tasks');
    const before = await planCounts(repos);

    // As in bench c: small commits, each a chunk on two tasks that have only their first event.
    for (let i = 0; i < 10; i++) {
      const items = [chunk(tasks[2 * i].id, 1, 'a'), chunk(tasks[2 * i + 1].id, 1, 'b')];
      await repos.messages.appendBatch(items, at(i + 1));
    }

    const after = await planCounts(repos);
    // PostgreSQL plans the first five calls of a prepared statement per call, then keeps the
    // generic plan unless the calls' own plans looked cheaper.
    expect(after.custom - before.custom).toBe(5);
    expect(after.generic - before.generic).toBe(5);
  });
});
