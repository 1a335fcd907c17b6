import 'reflect-metadata';
import { ConfigError, HotlineConfig, loadConfig } from '@hotline/config';
import { canonicalizeUrl, InvalidUrlError } from '@hotline/domain';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@hotline/persistence';
import { createRedis, QueueRegistry } from '@hotline/queue';
import { Command, CommanderError } from 'commander';
import { DataSource } from 'typeorm';
import { pipelineStatus } from './commands/pipeline-status';
import { writeOpenApi } from './commands/openapi';

/** Exit codes: 0 done, 1 failed, 2 bad input or usage, 78 bad configuration. */
class UsageError extends Error {}

async function withDatabase<T>(work: (dataSource: DataSource, config: HotlineConfig) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const dataSource = await new DataSource({ ...dataSourceOptions(config), extra: { max: 2, connectionTimeoutMillis: 5000 } }).initialize();
  try {
    return await work(dataSource, config);
  } finally {
    await dataSource.destroy();
  }
}

function program(): Command {
  const cli = new Command('hotline').description('Operator commands of the hotline platform').exitOverride();

  cli
    .command('url:canonicalize')
    .description('Print the canonical form of a URL (pure: does not judge whether the host is public)')
    .argument('<url>')
    .action((url: string) => {
      try {
        process.stdout.write(`${canonicalizeUrl(url).href}\n`);
      } catch (error) {
        if (error instanceof InvalidUrlError) throw new UsageError(`not a URL: ${error.message}`);
        throw error;
      }
    });

  cli
    .command('db:migrate')
    .description('Create the database if missing, then apply pending migrations (under an advisory lock)')
    .action(async () => {
      if (await ensureDatabase(loadConfig().databaseUrl)) process.stdout.write('created the database\n');
      await withDatabase(async (dataSource) => {
        const applied = await runMigrations(dataSource);
        process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'schema up to date\n');
      });
    });

  cli
    .command('pipeline:status')
    .description('Counts of reports, URLs, outbox, jobs and cases right now')
    .option('--json', 'print one JSON object')
    .action((options: { json?: boolean }) =>
      withDatabase(async (dataSource, config) => {
        const redis = createRedis(config.redisUrl, 'producer');
        redis.on('error', () => undefined);
        const queues = new QueueRegistry(redis, config.redisPrefix);
        try {
          const status = await pipelineStatus(dataSource, queues);
          if (options.json) process.stdout.write(`${JSON.stringify(status)}\n`);
          else for (const [key, value] of Object.entries(status)) process.stdout.write(`${key}: ${JSON.stringify(value)}\n`);
        } finally {
          await queues.close();
          redis.disconnect();
        }
      }),
    );

  cli
    .command('openapi:write')
    .description('Regenerate docs/openapi/*.json from the code')
    .action(async () => {
      for (const file of await writeOpenApi()) process.stdout.write(`wrote ${file}\n`);
    });

  return cli;
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78;
    }
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
