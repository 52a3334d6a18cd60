// PGlite's node-postgres adapter is published under a package export, which this project's
// node10 module resolution does not read (its own typings only resolve under node16/bundler).
// Node, tsx and jest resolve the export at run time; this declares the one function used.
declare module '@electric-sql/pglite/node-postgres' {
  import type { PGlite } from '@electric-sql/pglite';
  import type { PoolConfig } from 'pg';

  /** A node-postgres config whose connections run their protocol on `pglite`. */
  export function createPgConfig(pglite: PGlite): PoolConfig;
}
