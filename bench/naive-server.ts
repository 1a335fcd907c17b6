/**
 * The baseline of the intake benchmark: the simplest durable endpoint, plain Fastify doing one
 * INSERT (one commit) per request against the same PostgreSQL. Run as its own process.
 */
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
  await pool.query('CREATE TABLE IF NOT EXISTS naive_report (id uuid PRIMARY KEY, urls jsonb NOT NULL, received_at timestamptz NOT NULL)');
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.post('/api/v1/reports', async (request, reply) => {
    const body = request.body as { urls?: unknown };
    const id = randomUUID();
    await pool.query('INSERT INTO naive_report (id, urls, received_at) VALUES ($1, $2, now())', [id, JSON.stringify(body.urls)]);
    return reply.status(201).send({ reference: id, status: 'received' });
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  const stop = () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
