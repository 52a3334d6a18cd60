// The body of the worker thread that PgliteWorkerDatabase starts: one PGlite, driven by messages.
import { parentPort, workerData } from 'node:worker_threads';
import type { SqlExecutor } from './database';
import { PgliteDatabase, type PgliteOpenOptions } from './pglite-database';
import type { WorkerReply, WorkerRequest } from './pglite-worker-protocol';

interface OpenTransaction {
  executor: SqlExecutor;
  finish: (commit: boolean) => void;
  /** Settles when PGlite has committed (or rolled back) the transaction. */
  done: Promise<void>;
}

/** Thrown inside a transaction's callback to make PGlite roll it back. */
class Rollback extends Error {}

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('pglite-worker must run in a worker thread');
  const { dataDir, options } = workerData as { dataDir: string; options: PgliteOpenOptions };
  const db = await PgliteDatabase.open(dataDir, options);
  const transactions = new Map<number, OpenTransaction>();

  const begin = (id: number): Promise<void> =>
    new Promise<void>((started) => {
      let finish!: (commit: boolean) => void;
      const done = db
        .transaction(
          (executor) =>
            new Promise<void>((resolve, reject) => {
              finish = (commit) => (commit ? resolve() : reject(new Rollback()));
              transactions.set(id, { executor, finish, done });
              started();
            }),
        )
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        })
        .finally(() => transactions.delete(id));
      // PGlite may queue the transaction behind others: `started` runs once it is ours.
      void done.catch(() => undefined);
    });

  const handle = async (request: WorkerRequest): Promise<unknown> => {
    switch (request.op) {
      case 'query': {
        const executor = request.tx === undefined ? db : transactions.get(request.tx)?.executor;
        if (!executor) throw new Error(`No open transaction ${request.tx}`);
        return executor.query(request.sql, request.params, request.options);
      }
      case 'exec':
        return db.exec(request.sql);
      case 'begin':
        return begin(request.id);
      case 'end': {
        const open = transactions.get(request.tx);
        if (!open) throw new Error(`No open transaction ${request.tx}`);
        open.finish(request.commit);
        return open.done;
      }
      case 'close':
        return db.close();
    }
  };

  port.on('message', (request: WorkerRequest) => {
    handle(request).then(
      (result) => port.postMessage({ id: request.id, result } satisfies WorkerReply),
      (error: unknown) =>
        port.postMessage({ id: request.id, error: describeError(error) } satisfies WorkerReply),
    );
  });
  port.postMessage({ id: 0, result: 'ready' } satisfies WorkerReply);
}

/**
 * The error as plain data (its class does not cross threads): its message and PostgreSQL's
 * fields. Only primitive values: anything else (PGlite attaches the query's options) might not
 * survive postMessage, and a reply that fails to post would leave its caller waiting forever.
 */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (
      key !== 'params' &&
      key !== 'query' &&
      ['string', 'number', 'boolean'].includes(typeof value)
    )
      fields[key] = value;
  }
  return fields;
}

serve().catch((error: unknown) => {
  parentPort?.postMessage({ id: 0, error: describeError(error) } satisfies WorkerReply);
});
