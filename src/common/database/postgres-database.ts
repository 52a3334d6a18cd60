import { Pool } from 'pg';
import { PgPoolDatabase } from './pg-pool-database';

/** PostgreSQL (or Supabase's Postgres connection string) through a pg connection pool. */
export class PostgresDatabase extends PgPoolDatabase {
  readonly driver = 'postgres';

  constructor(connectionString: string, poolSize: number) {
    super(new Pool({ connectionString, max: poolSize }));
  }
}
