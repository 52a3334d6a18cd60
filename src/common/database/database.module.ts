import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AUTOVACUUM_OFF_WARNING, autovacuumIsOff } from './autovacuum-check';
import { Database } from './database';
import { migrate } from './migrator';
import { PgliteWorkerDatabase } from './pglite-worker-database';
import { PostgresDatabase } from './postgres-database';

export async function openDatabase(config: AppConfig): Promise<Database> {
  return config.STORAGE_DRIVER === 'postgres'
    ? new PostgresDatabase(config.DATABASE_URL as string, config.DATABASE_POOL_SIZE)
    : PgliteWorkerDatabase.open(config.PGLITE_DATA_DIR, {
        seedTarball: config.PGLITE_SEED_TARBALL,
      });
}

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<Database> => {
        const db = await openDatabase(config);
        const logger = new Logger('Database');
        const applied = await migrate(db);
        if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
        if (config.STORAGE_DRIVER === 'postgres' && (await autovacuumIsOff(db)))
          logger.warn(AUTOVACUUM_OFF_WARNING);
        return db;
      },
    },
  ],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
