import { Client } from 'pg';

/** A plain pg client on the run's database, for assertions that read rows directly. */
export async function connectDatabase(): Promise<Client> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}
