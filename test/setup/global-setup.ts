import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../libs/persistence/src/data-source';

/**
 * One database and one Redis key prefix per test run, so runs never see each other's data.
 * Migrations run once here; each test then makes its own rows.
 */
export default async function globalSetup(): Promise<void> {
  const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `hotline_test_${run}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${database}`;
  process.env.DATABASE_URL = url.toString();
  process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.REDIS_PREFIX = `{hotline-test-${run}}`;
  process.env.HOTLINE_TEST_ADMIN_URL = base;
  process.env.HOTLINE_TEST_DATABASE = database;
  const dataSource = await new DataSource(dataSourceOptions({ databaseUrl: url.toString(), databasePoolSize: 2 })).initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
}
