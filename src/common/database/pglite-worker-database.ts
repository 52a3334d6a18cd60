import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Database, type QueryOptions, type SqlExecutor } from './database';
import { isNewDataDir, isOnDisk, type PgliteOpenOptions } from './pglite-database';
import type { WorkerReply, WorkerRequest } from './pglite-worker-protocol';

/** Omit applied to each member of a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** A request before `send` numbers it. */
type Request = WithoutId<WorkerRequest>;

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * PGlite in a worker thread. PGlite runs its WASM on the thread that calls it: in the gateway's
 * own thread every statement held back every request and stream meanwhile (bench scenario c on
 * PGlite: p99 94 ms at 2,000 chunks/s with the gateway at 111 % CPU). Here the database works on
 * the other core and the event loop only posts messages. Same SQL, same single connection.
 */
export class PgliteWorkerDatabase extends Database {
  readonly driver = 'pglite';
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    super();
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`PGlite worker exited with code ${code}`)));
  }

  /**
   * A new database on disk is created by a first worker that then exits: initdb grows PGlite's
   * WASM memory to some 750 MB, which is never given back while the instance lives (a fresh
   * `npm start` held 950 MB of RSS, a restart on the same files 400 MB).
   */
  static async open(
    dataDir: string,
    options: PgliteOpenOptions = {},
  ): Promise<PgliteWorkerDatabase> {
    if (isOnDisk(dataDir) && isNewDataDir(dataDir)) {
      await (await PgliteWorkerDatabase.start(dataDir, options)).close();
    }
    return PgliteWorkerDatabase.start(dataDir, options);
  }

  private static async start(
    dataDir: string,
    options: PgliteOpenOptions,
  ): Promise<PgliteWorkerDatabase> {
    const worker = new Worker(workerScript(), {
      workerData: { dataDir, options },
      // From TypeScript sources (tests), the worker needs the same TypeScript loader.
      execArgv: __filename.endsWith('.ts') ? ['--require', 'tsx/cjs'] : [],
    });
    const db = new PgliteWorkerDatabase(worker);
    await new Promise<unknown>((resolve, reject) => db.pending.set(0, { resolve, reject }));
    return db;
  }

  query<R extends object>(
    sql: string,
    params: unknown[] = [],
    options?: QueryOptions,
  ): Promise<R[]> {
    return this.call({ op: 'query', sql, params, options }) as Promise<R[]>;
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // The begin request's id names the transaction.
    const { id, reply } = this.send({ op: 'begin' });
    await reply;
    let result: T;
    try {
      result = await work({
        query: <R extends object>(sql: string, params: unknown[] = [], options?: QueryOptions) =>
          this.call({ op: 'query', sql, params, options, tx: id }) as Promise<R[]>,
      });
    } catch (error) {
      await this.call({ op: 'end', tx: id, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.call({ op: 'end', tx: id, commit: true });
    return result;
  }

  async exec(sql: string): Promise<void> {
    await this.call({ op: 'exec', sql });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    await this.call({ op: 'close' });
    this.failure = new Error('PGlite worker closed');
    await this.worker.terminate();
  }

  private call(request: Request): Promise<unknown> {
    return this.send(request).reply;
  }

  private send(request: Request): { id: number; reply: Promise<unknown> } {
    const id = ++this.nextId;
    if (this.failure) return { id, reply: Promise.reject(this.failure) };
    const reply = new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
    return { id, reply };
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.error === undefined) waiting.resolve(reply.result);
    else waiting.reject(Object.assign(new Error(String(reply.error.message)), reply.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

function workerScript(): string {
  return join(__dirname, `pglite-worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
}
