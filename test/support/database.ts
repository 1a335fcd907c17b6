import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../libs/persistence/src/data-source';

/** A plain pg client on the run's database, for assertions that read rows directly. */
export async function connectDatabase(): Promise<Client> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

/**
 * A database of its own, migrated, for a test that must not share its rows with the run's other
 * files (their workers relay every outbox row they see). `drop()` removes it.
 */
export async function createScratchDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.HOTLINE_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${process.env.HOTLINE_TEST_DATABASE ?? 'hotline_test'}_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const dataSource = await new DataSource(dataSourceOptions({ databaseUrl: url.toString(), databasePoolSize: 2 })).initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
