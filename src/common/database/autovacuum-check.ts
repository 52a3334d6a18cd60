import type { Database } from './database';

/**
 * Logged at start when the PostgreSQL the gateway writes to does not run autovacuum. Nothing then
 * analyzes the event log's tables as they grow, so a connection keeps the plan it made for the
 * batch statement while they were small (a sequential scan of every task per commit:
 * docs/benchmarks-history.md, session 10), and nothing vacuums away the rows the pruner deletes.
 */
export const AUTOVACUUM_OFF_WARNING =
  'PostgreSQL runs with autovacuum off: the task tables are never analyzed or vacuumed, so ' +
  'webhook writes slow down as tasks accumulate. Turn autovacuum on';

export async function autovacuumIsOff(db: Database): Promise<boolean> {
  const [row] = await db.query<{ autovacuum: string }>('SHOW autovacuum');
  return row?.autovacuum === 'off';
}
