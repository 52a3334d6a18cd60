import type { QueryOptions } from './database';

/** Messages between PgliteWorkerDatabase and its worker thread; `id` pairs a reply with its request. */
export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; options?: QueryOptions; tx?: number }
  | { id: number; op: 'exec'; sql: string }
  /** Opens a transaction whose id is this request's id. */
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** Id 0 is the worker's own: ready, or failed to open the database. */
export type WorkerReply =
  | { id: number; result: unknown; error?: undefined }
  | { id: number; error: Record<string, unknown>; result?: undefined };
