import { PRUNE_LOCK_KEY } from '../../src/modules/task-messages/repositories/sql-task-messages.repository';
import { at, chunk, MINUTE } from '../contracts/contract-fixtures';
import { postgresHarness } from '../contracts/postgres-harness';
import { freshRepositories, startedTask, TTL_MINUTES } from '../contracts/repositories-under-test';

// Only one instance prunes at a time. On PostgreSQL another instance is another session: a
// transaction on a second pool that holds the pruning lock is exactly another instance pruning.
// (PGlite has a single session, so this can only be shown here.)
describe('pruning on PostgreSQL while another instance holds the pruning lock', () => {
  const harness = postgresHarness();
  beforeAll(() => harness.setUp());
  afterAll(() => harness.tearDown());

  it('does nothing until the lock is free, then deletes the expired rows', async () => {
    const repos = await freshRepositories(harness);
    const task = await startedTask(repos);
    await repos.messages.appendBatch([chunk(task.id, 1, 'a'), chunk(task.id, 2, 'b')], at(0));
    const expired = at(TTL_MINUTES * MINUTE);

    const otherInstance = await harness.secondConnection();
    await otherInstance.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PRUNE_LOCK_KEY]);
      expect(await repos.messages.pruneExpired(expired, 1000)).toEqual({
        locked: false,
        deleted: 0,
      });
    });
    expect(await repos.messages.readAfter(task.id, 0, 10)).toHaveLength(3);
    expect(await repos.messages.pruneExpired(expired, 1000)).toEqual({ locked: true, deleted: 3 });
    expect(await repos.messages.readAfter(task.id, 0, 10)).toEqual([]);
  });
});
