import 'reflect-metadata';
import { ConfigError, HotlineConfig, loadConfig } from '@hotline/config';
import { canonicalizeUrl, DEFAULT_TRACKING_PARAMS, InvalidUrlError, KNOWN_URL_VERDICTS } from '@hotline/domain';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@hotline/persistence';
import { createRedis, DeadLetters, QueueRegistry } from '@hotline/queue';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DataSource } from 'typeorm';
import { abuseContactDirectory, abuseContactsImport, abuseContactsImportRdap } from './commands/abuse-contacts-import';
import { apiKeyCreate, apiKeyDesk } from './commands/api-key-create';
import { apiKeyList } from './commands/api-key-list';
import { apiKeyRevoke } from './commands/api-key-revoke';
import { auditVerify } from './commands/audit-verify';
import { casesVerifyEvents } from './commands/cases-verify-events';
import { calendarExport, statsBackfill, statsCheck } from './commands/stats-commands';
import { seedSynthetic, seedSyntheticLine, seedSyntheticOptions } from './commands/seed-synthetic';
import { dlqList } from './commands/dlq-list';
import { dlqRedrive, redriveTarget } from './commands/dlq-redrive';
import { importKnownHashes } from './commands/known-hashes-import';
import { importKnownUrls } from './commands/known-urls-import';
import { partnerAdd, partnerDirectory, partnerDisable, partnerList, partnerRotateKey, partnerSetKey } from './commands/partner-commands';
import { pipelineStatus } from './commands/pipeline-status';
import { queuesVerifyCounts } from './commands/queues-verify-counts';
import { retentionPurge } from './commands/retention-purge';
import { writeOpenApi } from './commands/openapi';
import { formatRoutingRules, routingList } from './commands/routing-list';
import { routingSet } from './commands/routing-set';
import { UsageError } from './commands/usage-error';
import { reportTransparency } from './transparency/transparency-command';
import { transparencyYear } from './transparency/transparency-figures';
import { readPasswordFromStdin, staffDirectory, userCreate } from './commands/user-create';
import { userDisable, userResetTotp, userSetRole } from './commands/user-manage';

async function withDatabase<T>(work: (dataSource: DataSource, config: HotlineConfig) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const dataSource = await new DataSource({ ...dataSourceOptions(config), extra: { max: 2, connectionTimeoutMillis: 5000 } }).initialize();
  try {
    return await work(dataSource, config);
  } finally {
    await dataSource.destroy();
  }
}

/** Queues on a producer connection (fails fast while Redis is down), closed after `work`. */
async function withQueues<T>(config: HotlineConfig, work: (queues: QueueRegistry) => Promise<T>): Promise<T> {
  const redis = createRedis(config.redisUrl, 'producer');
  redis.on('error', () => undefined);
  const queues = new QueueRegistry(redis, config.redisPrefix);
  try {
    return await work(queues);
  } finally {
    await queues.close();
    redis.disconnect();
  }
}

function positiveInteger(value: string): number {
  if (!/^[1-9][0-9]{0,6}$/.test(value)) throw new InvalidArgumentError('must be an integer 1..9999999');
  return Number(value);
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
      withDatabase((dataSource, config) =>
        withQueues(config, async (queues) => {
          const status = await pipelineStatus(dataSource, queues);
          if (options.json) process.stdout.write(`${JSON.stringify(status)}\n`);
          else for (const [key, value] of Object.entries(status)) process.stdout.write(`${key}: ${JSON.stringify(value)}\n`);
        }),
      ),
    );

  cli
    .command('dlq:list')
    .description('Open dead letters, oldest first: id queue job_name job_id attempts failed_at error')
    .option('--all', 'also the redriven ones (a redriven_at column, or "open", comes before the error)')
    .option('--limit <n>', 'at most this many', positiveInteger, 1000)
    .option('--json', 'print one JSON array')
    .action((options: { all?: boolean; json?: boolean; limit: number }) =>
      withDatabase((dataSource, config) =>
        withQueues(config, async (queues) => {
          const { stdout, stderr } = await dlqList(new DeadLetters(dataSource, queues), options);
          process.stdout.write(stdout);
          process.stderr.write(stderr);
        }),
      ),
    );

  cli
    .command('dlq:redrive')
    .description('Send a dead letter (or --all open ones) back to its queue; prints "redriven <n>: <ids>"')
    .argument('[id]', 'dead letter id, from dlq:list')
    .option('--all', 'every open dead letter')
    .action((id: string | undefined, options: { all?: boolean }) => {
      const target = redriveTarget(id, options.all);
      return withDatabase((dataSource, config) =>
        withQueues(config, async (queues) => {
          process.stdout.write(`${await dlqRedrive(new DeadLetters(dataSource, queues), target)}\n`);
        }),
      );
    });

  cli
    .command('known-urls:import')
    .description(
      'Import confirmed URLs (e.g. from a partner hotline) into the known-URL list, all or nothing: ' +
        'CSV with header url,verdict or JSON (array of URLs or of {url, verdict})',
    )
    .argument('<file>', '.csv or .json (other names: recognised by content)')
    .requiredOption('--list <name>', 'name of the list the URLs come from')
    .option('--verdict <verdict>', `for rows without one: ${KNOWN_URL_VERDICTS.join(' | ')}`)
    .option('--json', 'print one JSON object')
    .action((file: string, options: { list: string; verdict?: string; json?: boolean }) =>
      withDatabase(async (dataSource, config) => {
        const result = await importKnownUrls(dataSource, file, {
          list: options.list,
          verdict: options.verdict,
          trackingParams: [...DEFAULT_TRACKING_PARAMS, ...config.extraTrackingParams],
        });
        process.stdout.write(
          options.json
            ? `${JSON.stringify(result)}\n`
            : `imported ${result.imported} known URLs (${result.new} new, ${result.updated} updated) into list ${result.list}\n`,
        );
      }),
    );

  cli
    .command('known-hashes:import')
    .description(
      'Import hashes of confirmed files (a hash list) into the known hashes, all or nothing: CSV with header algorithm,value,verdict ' +
        '(sha256 | sha1 | md5; baseline | national). A trusted source’s URL that comes with one of them is confirmed at triage',
    )
    .argument('<file>', '.csv')
    .requiredOption('--list <name>', 'name of the hash list')
    .option('--json', 'print one JSON object')
    .action((file: string, options: { list: string; json?: boolean }) =>
      withDatabase(async (dataSource) => {
        const result = await importKnownHashes(dataSource, file, { list: options.list });
        process.stdout.write(
          options.json
            ? `${JSON.stringify(result)}\n`
            : `imported ${result.imported} known hashes (${result.new} new, ${result.updated} updated) into list ${result.list}\n`,
        );
      }),
    );

  cli
    .command('abuse-contacts:import')
    .description('Import abuse contacts of hosting providers from CSV (header organisation,email,language,domain,asn,note), all or nothing')
    .argument('<file>', '.csv file')
    .option('--json', 'print one JSON object {created, updated}')
    .action((file: string, options: { json?: boolean }) =>
      withDatabase(async (dataSource) => {
        process.stdout.write(await abuseContactsImport(abuseContactDirectory(dataSource), file, options.json));
      }),
    );

  cli
    .command('abuse-contacts:import-rdap')
    .description("Import AS numbers' abuse contacts from saved RDAP responses (one, a JSON array, or JSON lines; nothing is fetched), all or nothing")
    .argument('<file>', '.json or .jsonl file')
    .option('--json', 'print one JSON object {created, updated, skipped}')
    .action((file: string, options: { json?: boolean }) =>
      withDatabase(async (dataSource) => {
        process.stdout.write(await abuseContactsImportRdap(abuseContactDirectory(dataSource), file, options.json));
      }),
    );

  cli
    .command('api-key:create')
    .description("Create an organisation's API key (URL-list subscriber, trusted bulk source); the key is printed this once")
    .requiredOption('--name <name>', 'the organisation, as admins will recognise it')
    .requiredOption('--scope <scope>', 'url_list | url_list_hashes | bulk_reports (repeat for several)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--daily-quota <n>', 'bulk_reports: URLs a day (default BULK_DAILY_QUOTA)', positiveInteger)
    .option('--json', 'print one JSON object {id, name, scopes, key}')
    .action((options: { name: string; scope: string[]; dailyQuota?: number; json?: boolean }) =>
      withDatabase(async (dataSource) => {
        process.stdout.write(await apiKeyCreate(apiKeyDesk(dataSource), options));
      }),
    );

  cli
    .command('api-key:list')
    .description('Every API key, live ones first: id prefix live|revoked scopes quota created last-used name (never the key)')
    .option('--json', 'print one JSON array of {id, name, prefix, scopes, dailyQuota, createdAt, lastUsedAt, revokedAt}')
    .action((options: { json?: boolean }) =>
      withDatabase(async (dataSource) => {
        process.stdout.write(await apiKeyList(apiKeyDesk(dataSource), options.json));
      }),
    );

  cli
    .command('api-key:revoke')
    .description('Revoke an API key: from now on it authenticates nothing; prints "revoked <id> <name>"')
    .argument('<id>', 'key id, from api-key:list')
    .action((id: string) =>
      withDatabase(async (dataSource) => {
        process.stdout.write(await apiKeyRevoke(apiKeyDesk(dataSource), id));
      }),
    );

  cli
    .command('routing:list')
    .description('The current routing rules in order (first match wins), with version and who changed them when')
    .option('--json', 'print one JSON object {rules, version, updatedAt, updatedBy}')
    .action((options: { json?: boolean }) =>
      withDatabase(async (dataSource) => {
        const set = await routingList(dataSource);
        process.stdout.write(options.json ? `${JSON.stringify(set)}\n` : formatRoutingRules(set));
      }),
    );

  cli
    .command('routing:set')
    .description('Replace the routing rules with a JSON array of rules (or what routing:list --json printed)')
    .argument('<file>', 'JSON file')
    .option('--by <name>', 'who makes the change, kept with the rules', 'cli')
    .action((file: string, options: { by: string }) =>
      withDatabase(async (dataSource) => {
        const set = await routingSet(dataSource, file, options.by);
        process.stdout.write(`saved routing rules version ${set.version} (${set.rules.length} rules, by ${set.updatedBy})\n`);
      }),
    );

  cli
    .command('user:create')
    .description('Create a staff user with a new TOTP secret; prints {id, email, role, totpSecret} with --json')
    .requiredOption('--email <email>')
    .requiredOption('--role <role>', 'analyst | senior_analyst | le_liaison | regulator | admin')
    .option('--agency <agency>', 'the police agency (le_liaison only)')
    .option('--password-stdin', 'read the password from stdin (required)')
    .option('--json', 'print one JSON object')
    .option('--totp <delivery>', 'print: show the TOTP secret now (default); qr: the user scans its QR code at their first sign-in to the console')
    .action((options: { email: string; role: string; agency?: string; passwordStdin?: boolean; json?: boolean; totp?: string }) =>
      withDatabase(async (dataSource, config) => {
        const { stdout, stderr } = await userCreate(staffDirectory(dataSource, config), options, () => readPasswordFromStdin());
        process.stdout.write(stdout);
        process.stderr.write(stderr);
      }),
    );

  cli
    .command('user:disable')
    .description('Disable a staff user and end all their sessions')
    .argument('<user>', 'id or email')
    .action((user: string) =>
      withDatabase(async (dataSource, config) => {
        process.stdout.write(await userDisable(staffDirectory(dataSource, config), user));
      }),
    );

  cli
    .command('user:reset-totp')
    .description('Give a staff user a new TOTP secret (printed once) and end all their sessions')
    .argument('<user>', 'id or email')
    .option('--json', 'print one JSON object {id, email, role, totpSecret}')
    .action((user: string, options: { json?: boolean }) =>
      withDatabase(async (dataSource, config) => {
        process.stdout.write(await userResetTotp(staffDirectory(dataSource, config), user, options.json));
      }),
    );

  cli
    .command('user:set-role')
    .description('Change the role of a staff user and end all their sessions')
    .argument('<user>', 'id or email')
    .requiredOption('--role <role>', 'analyst | senior_analyst | le_liaison | regulator | admin')
    .option('--agency <agency>', 'the police agency (le_liaison only)')
    .action((user: string, options: { role: string; agency?: string }) =>
      withDatabase(async (dataSource, config) => {
        process.stdout.write(await userSetRole(staffDirectory(dataSource, config), user, options));
      }),
    );

  cli
    .command('partner:add')
    .description('Register a partner hotline and make our key pair for it; prints our key id and public key (for the partner)')
    .requiredOption('--name <name>', 'lower-case letters, digits and hyphens')
    .requiredOption('--countries <codes>', 'ISO 3166-1 alpha-2 codes it handles, comma-separated, e.g. DE,AT')
    .requiredOption('--base-url <url>', 'its base URL, e.g. https://hotline.example')
    .requiredOption('--public-key <key>', 'its Ed25519 public key, base64 SPKI DER')
    .option('--rate-limit <n>', 'messages per minute we send it (default 60)', positiveInteger)
    .option('--json', 'print one JSON object {id, name, countries, baseUrl, status, rateLimitPerMinute, theirKeyId, ourKeyId, ourPublicKey}')
    .action((options: { name: string; countries: string; baseUrl: string; publicKey: string; rateLimit?: number; json?: boolean }) =>
      withDatabase(async (dataSource, config) => {
        process.stdout.write(await partnerAdd(partnerDirectory(dataSource, config), options));
      }),
    );

  cli
    .command('partner:list')
    .description('The partner hotlines: name status countries base-url rate their-key our-key')
    .option('--json', 'print one JSON array')
    .action((options: { json?: boolean }) =>
      withDatabase(async (dataSource, config) => {
        process.stdout.write(await partnerList(partnerDirectory(dataSource, config), options.json));
      }),
    );

  cli
    .command('partner:disable')
    .description('Stop all exchange with a partner (its requests are refused)')
    .argument('<name>')
    .action((name: string) =>
      withDatabase(async (dataSource, config) => {
        process.stdout.write(await partnerDisable(partnerDirectory(dataSource, config), name));
      }),
    );

  cli
    .command('partner:rotate-key')
    .description(
      'Gapless rotation of our key for a partner: make our next key pair and print its key id and public key (for the partner; ' +
        'we keep signing with the current key); with --activate, once the partner has installed it, sign with it from now on',
    )
    .argument('<name>')
    .option('--activate', 'make the prepared next key current (refused when there is none)')
    .option('--json', 'print one JSON object: {id, name, ourKeyId, nextKeyId, nextPublicKey}; with --activate {id, name, ourKeyId, ourPublicKey}')
    .action((name: string, options: { json?: boolean; activate?: boolean }) =>
      withDatabase(async (dataSource, config) => {
        process.stdout.write(await partnerRotateKey(partnerDirectory(dataSource, config), name, options.json, options.activate));
      }),
    );

  cli
    .command('partner:set-key')
    .description("Install a partner's new public key (their previous one is still accepted for 24 hours)")
    .argument('<name>')
    .requiredOption('--public-key <key>', 'its Ed25519 public key, base64 SPKI DER')
    .action((name: string, options: { publicKey: string }) =>
      withDatabase(async (dataSource, config) => {
        process.stdout.write(await partnerSetKey(partnerDirectory(dataSource, config), name, options.publicKey));
      }),
    );

  cli
    .command('cases:verify-events')
    .description('Check that every case status is explained by its events: "ok <n> cases" (exit 0), or each case that is not (exit 1)')
    .action(() =>
      withDatabase(async (dataSource) => {
        const { ok, lines } = await casesVerifyEvents(dataSource);
        process.stdout.write(lines);
        if (!ok) throw new Error('some case statuses are not explained by their events');
      }),
    );

  cli
    .command('stats:backfill')
    .description(
      "Rebuild the regulators' rollups from every case event (after the statistics migration, or to repair what stats:check found); the worker carries on from there",
    )
    .action(() =>
      withDatabase(async (dataSource, config) => {
        process.stdout.write(await statsBackfill(dataSource, config));
      }),
    );

  cli
    .command('stats:check')
    .description('Recompute every rollup cell from the case events it includes: "ok <n> cells" (exit 0), or each cell that differs (exit 1)')
    .action(() =>
      withDatabase(async (dataSource, config) => {
        const { ok, lines } = await statsCheck(dataSource, config);
        process.stdout.write(lines);
        if (!ok) throw new Error('the rollups differ from the case events');
      }),
    );

  cli
    .command('seed:synthetic')
    .description(
      'Write a synthetic year of cases and their events (for benchmarks and demonstrations; refused with NODE_ENV=production), then rebuild the statistics from every event',
    )
    .requiredOption('--cases <n>', 'how many cases, 1..20000000')
    .option('--year <YYYY>', 'the year they are received in (default: the latest whose whole history lies in the past)')
    .option('--seed <n>', 'the pseudo-random seed: the same cases, year and seed give the same rows (default 1)')
    .action((raw: { cases: string; year?: string; seed?: string }) => {
      const options = seedSyntheticOptions(raw, process.env, new Date());
      return withDatabase(async (dataSource, config) => {
        const result = await seedSynthetic(dataSource, config, options, (line) => process.stderr.write(`${line}\n`));
        process.stdout.write(seedSyntheticLine(result));
      });
    });

  cli
    .command('calendar:export')
    .description('Write the working-day calendar of HOTLINE_COUNTRY (weekend, public holidays) as JSON to edit and name in WORKING_DAYS_FILE')
    .requiredOption('--out <file>', 'where to write it')
    .action((options: { out: string }) => {
      process.stdout.write(calendarExport(loadConfig(), options.out));
    });

  cli
    .command('report:transparency')
    .description(
      "Write the year's transparency report (the published figures, charts inline, no external resource) as one HTML file; " +
        '--pdf also prints it to PDF, which needs playwright-core and Chromium (CHROMIUM_PATH, default /usr/bin/chromium)',
    )
    .requiredOption('--year <YYYY>', 'the year, 2000 to the current one (a year in progress is reported to date)')
    .requiredOption('--out <file>', 'where to write the HTML')
    .option('--pdf <file>', 'also write a PDF here (needs Chromium)')
    .action((options: { year: string; out: string; pdf?: string }) => {
      const year = transparencyYear(options.year, new Date());
      const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
      return withDatabase(async (dataSource, config) => {
        process.stdout.write(await reportTransparency(dataSource, config, { ...options, year, chromium }));
      });
    });

  cli
    .command('retention:purge')
    .description('Run the retention purge now (every class, legal holds respected, audited); --dry-run only counts what would go')
    .option('--dry-run', 'count what would be removed, change nothing')
    .option('--json', 'print the report as JSON')
    .action((options: { dryRun?: boolean; json?: boolean }) =>
      withDatabase(async (dataSource, config) => {
        process.stdout.write(await retentionPurge(dataSource, config, { dryRun: options.dryRun ?? false, json: options.json ?? false }));
      }),
    );

  cli
    .command('queues:verify-counts')
    .description('Check the kept count of waiting cases of every review queue against a real count: "ok <n> queues" (exit 0), or each queue that differs (exit 1)')
    .action(() =>
      withDatabase(async (dataSource) => {
        const { ok, lines } = await queuesVerifyCounts(dataSource);
        process.stdout.write(lines);
        if (!ok) throw new Error('some review queues are miscounted');
      }),
    );

  cli
    .command('audit:verify')
    .description('Check the audit hash chain: "ok <n> events" (exit 0), or the first broken sequence number (exit 1)')
    .action(() =>
      withDatabase(async (dataSource) => {
        const { ok, line } = await auditVerify(dataSource);
        process.stdout.write(line);
        if (!ok) throw new Error('the audit log has been tampered with');
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

/** Exit codes: 0 done, 1 failed, 2 bad input or usage (UsageError), 78 bad configuration. */
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
