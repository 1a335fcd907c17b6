import type { HotlineConfig } from '@hotline/config';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(config: Pick<HotlineConfig, 'databaseUrl' | 'databasePoolSize'>): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    // Off: TypeORM's error log prints the failed statement with its parameters to stdout, and
    // those can hold what a report said (its URLs). The error still reaches the caller, whose
    // handler logs it without parameters.
    logging: false,
    // Fail fast when PostgreSQL is unreachable: intake answers 503 instead of hanging.
    extra: { max: config.databasePoolSize, connectionTimeoutMillis: 3000, application_name: 'hotline' },
  };
}

// Any number of processes may start together (npm start, replicas); one migrates, the others wait.
const MIGRATION_LOCK_KEY = 727_145_001;

/** Applies pending migrations under a PostgreSQL advisory lock. Returns the names applied. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Creates the configured database when it does not exist yet, so a fresh machine needs no manual
 * step before `npm start`. Connects to the server's `postgres` database to do it.
 */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) return false;
  url.pathname = '/postgres';
  const { Client } = await import('pg');
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await admin.query(`CREATE DATABASE "${name}"`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '42P04') return false; // created meanwhile by another process
    throw error;
  } finally {
    await admin.end();
  }
}
