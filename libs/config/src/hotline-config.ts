import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, EnvironmentVariables, validateEnvironment } from './config';
import { parseDurationMs, parseRateLimit, RateLimit } from './duration';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The resolved, typed configuration every app receives (inject `HotlineConfig`). */
export class HotlineConfig {
  readonly env: 'development' | 'test' | 'production';
  readonly databaseUrl: string;
  readonly databasePoolSize: number;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly hotlineCountry: string;
  readonly bindAddress: string;
  readonly ports: { intake: number; console: number; worker: number };
  readonly intakeRateLimit: RateLimit | 'off';
  readonly trustProxy: boolean | number | string[];
  readonly extraTrackingParams: string[];
  readonly fieldEncryptionKeys: EncryptionKey[];
  readonly tokenSigningKey: Buffer;
  readonly rateLimitKey: Buffer;
  readonly logLevel: string;
  readonly intakeBatchMax: number;
  readonly outboxBatchSize: number;
  readonly outboxPollMs: number;
  readonly contactRetentionDays: number;
  /** The retention purge: how long each class is kept (ms; contacts from CONTACT_RETENTION_DAYS) and how often it runs. */
  readonly retention: { contactMs: number; descriptionMs: number; rawUrlMs: number; sessionMs: number; purgeIntervalMs: number };
  readonly openApiUi: boolean;
  readonly pipelineConcurrency: number;
  readonly hostingConcurrency: number;
  readonly jobLockMs: number;
  /** Outgoing exchange messages: attempts, first backoff (doubling), request timeout. */
  readonly exchange: { attempts: number; backoffMs: number; timeoutMs: number };
  /** DNS servers for hosting traces; empty means the system's resolvers. */
  readonly dnsServers: string[];
  readonly dnsTimeoutMs: number;
  readonly geoIpTable: string | null;
  readonly bullBoardEnabled: boolean;
  readonly staffSession: { idleMs: number; maxMs: number };
  readonly consoleCookieSecure: 'auto' | boolean;
  readonly login: { maxFailures: number; lockoutMs: number };
  readonly leases: { durationMs: number; sweepIntervalMs: number; maxPerAnalyst: number };
  readonly exposureDailyLimitMs: number;
  /** How long a removed case stays quiet (not reported again) before it is closed. */
  readonly caseCloseAfterMs: number;
  /** Regulators' statistics: the suppression threshold, the working-day calendar file, the assessment targets by priority. */
  readonly stats: { minCell: number; workingDaysFile: string | null; assessmentTargets: { minPriority: number; withinMs: number }[] };
  readonly reviewBlind: boolean;
  readonly legalCategories: string[];
  /** Outgoing mail (notices, reminders, reporter feedback); `smtpUrl` null: not configured. */
  readonly mail: { smtpUrl: string | null; from: string; attempts: number; backoffMs: number; timeoutMs: number };
  readonly notices: { delayMs: number; reminderIntervalMs: number; remindersBeforePolice: number };
  /** The agency that receives each police channel's referrals (a liaison sees their agency's only). */
  readonly policeAgencies: { national_police: string; interpol: string };
  readonly removalCheck: { enabled: boolean; intervalMs: number; allowHosts: string[] };
  readonly bulkDailyQuota: number;
  /** Secrets generated for development, to warn about once the logger exists. */
  readonly generatedSecrets: string[];

  constructor(vars: EnvironmentVariables, secrets: DevSecrets) {
    this.env = vars.NODE_ENV;
    this.databaseUrl = vars.DATABASE_URL;
    this.databasePoolSize = vars.DATABASE_POOL_SIZE;
    this.redisUrl = vars.REDIS_URL;
    this.redisPrefix = vars.REDIS_PREFIX;
    this.hotlineCountry = vars.HOTLINE_COUNTRY ?? 'ZZ';
    this.bindAddress = vars.BIND_ADDRESS;
    this.ports = { intake: vars.INTAKE_PORT, console: vars.CONSOLE_PORT, worker: vars.WORKER_PORT };
    this.intakeRateLimit = parseRateLimit(vars.INTAKE_RATE_LIMIT)!;
    this.trustProxy = parseTrustProxy(vars.TRUST_PROXY);
    this.extraTrackingParams = vars.TRACKING_PARAMS ? vars.TRACKING_PARAMS.split(',') : [];
    this.fieldEncryptionKeys = parseKeyList(vars.FIELD_ENCRYPTION_KEYS ?? secrets.FIELD_ENCRYPTION_KEYS);
    this.tokenSigningKey = Buffer.from(vars.TOKEN_SIGNING_KEY ?? secrets.TOKEN_SIGNING_KEY, 'base64');
    this.rateLimitKey = Buffer.from(vars.RATE_LIMIT_KEY ?? secrets.RATE_LIMIT_KEY, 'base64');
    this.logLevel = vars.LOG_LEVEL;
    this.intakeBatchMax = vars.INTAKE_BATCH_MAX;
    this.outboxBatchSize = vars.OUTBOX_BATCH_SIZE;
    this.outboxPollMs = vars.OUTBOX_POLL_MS;
    this.contactRetentionDays = vars.CONTACT_RETENTION_DAYS;
    this.retention = {
      contactMs: vars.CONTACT_RETENTION_DAYS * 86_400_000,
      descriptionMs: parseDurationMs(vars.DESCRIPTION_RETENTION)!,
      rawUrlMs: parseDurationMs(vars.RAW_URL_RETENTION)!,
      sessionMs: parseDurationMs(vars.STAFF_SESSION_RETENTION)!,
      purgeIntervalMs: parseDurationMs(vars.RETENTION_PURGE_INTERVAL)!,
    };
    this.openApiUi = vars.OPENAPI_UI;
    this.pipelineConcurrency = vars.PIPELINE_CONCURRENCY;
    this.hostingConcurrency = vars.HOSTING_CONCURRENCY;
    this.jobLockMs = vars.JOB_LOCK_MS;
    this.exchange = { attempts: vars.EXCHANGE_ATTEMPTS, backoffMs: parseDurationMs(vars.EXCHANGE_BACKOFF)!, timeoutMs: parseDurationMs(vars.EXCHANGE_TIMEOUT)! };
    this.dnsServers = vars.DNS_SERVERS ? vars.DNS_SERVERS.split(',') : [];
    this.dnsTimeoutMs = vars.DNS_TIMEOUT_MS;
    this.geoIpTable = vars.GEO_IP_TABLE ?? null;
    this.bullBoardEnabled = vars.BULL_BOARD_ENABLED;
    this.staffSession = { idleMs: parseDurationMs(vars.STAFF_SESSION_IDLE)!, maxMs: parseDurationMs(vars.STAFF_SESSION_MAX)! };
    this.consoleCookieSecure = vars.CONSOLE_COOKIE_SECURE === 'auto' ? 'auto' : vars.CONSOLE_COOKIE_SECURE === 'true';
    this.login = { maxFailures: vars.LOGIN_MAX_FAILURES, lockoutMs: parseDurationMs(vars.LOGIN_LOCKOUT)! };
    this.leases = {
      durationMs: parseDurationMs(vars.LEASE_DURATION)!,
      sweepIntervalMs: parseDurationMs(vars.LEASE_SWEEP_INTERVAL)!,
      maxPerAnalyst: vars.MAX_LEASES,
    };
    this.exposureDailyLimitMs = parseDurationMs(vars.EXPOSURE_DAILY_LIMIT)!;
    this.caseCloseAfterMs = parseDurationMs(vars.CASE_CLOSE_AFTER)!;
    this.reviewBlind = vars.REVIEW_BLIND;
    this.legalCategories = vars.LEGAL_CATEGORIES.split(',');
    this.mail = {
      smtpUrl: vars.SMTP_URL ?? null,
      from: vars.MAIL_FROM,
      attempts: vars.MAIL_ATTEMPTS,
      backoffMs: parseDurationMs(vars.MAIL_BACKOFF)!,
      timeoutMs: parseDurationMs(vars.MAIL_TIMEOUT)!,
    };
    this.notices = {
      delayMs: parseDurationMs(vars.NOTICE_DELAY)!,
      reminderIntervalMs: parseDurationMs(vars.NOTICE_REMINDER_INTERVAL)!,
      remindersBeforePolice: vars.NOTICE_REMINDERS_BEFORE_POLICE,
    };
    this.policeAgencies = { national_police: vars.NATIONAL_POLICE_AGENCY, interpol: vars.INTERPOL_AGENCY };
    this.removalCheck = {
      enabled: vars.REMOVAL_CHECK_ENABLED,
      intervalMs: parseDurationMs(vars.REMOVAL_CHECK_INTERVAL)!,
      allowHosts: vars.REMOVAL_CHECK_ALLOW ? vars.REMOVAL_CHECK_ALLOW.toLowerCase().split(',') : [],
    };
    this.bulkDailyQuota = vars.BULK_DAILY_QUOTA;
    this.stats = {
      minCell: vars.STATS_MIN_CELL,
      workingDaysFile: vars.WORKING_DAYS_FILE ?? null,
      assessmentTargets: vars.STATS_ASSESSMENT_TARGETS.split(',')
        .map((band) => {
          const [min, duration] = band.split(':');
          return { minPriority: Number(min), withinMs: parseDurationMs(duration)! };
        })
        .sort((a, b) => b.minPriority - a.minPriority),
    };
    this.generatedSecrets = secrets.generated;
  }

  /** The agency whose liaisons receive referrals of a police channel (national_police | interpol). */
  policeAgencyOf(channel: string): string {
    if (channel === 'national_police' || channel === 'interpol') return this.policeAgencies[channel];
    throw new Error(`no police agency for channel ${channel}`);
  }
}

interface DevSecrets {
  FIELD_ENCRYPTION_KEYS: string;
  TOKEN_SIGNING_KEY: string;
  RATE_LIMIT_KEY: string;
  generated: string[];
}

const SECRET_NAMES = ['FIELD_ENCRYPTION_KEYS', 'TOKEN_SIGNING_KEY', 'RATE_LIMIT_KEY'] as const;

/**
 * Reads `.env` (if present) and the environment, validates, and in development fills missing
 * secrets from a local file generated once (so encrypted data stays readable across restarts).
 * Throws ConfigError with one line naming the bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { envFile?: string } = {}): HotlineConfig {
  const envFile = options.envFile ?? '.env';
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  const vars = validateEnvironment(env);
  const missing = SECRET_NAMES.filter((name) => !vars[name]);
  if (missing.length === 0) {
    return new HotlineConfig(vars, { ...(vars as unknown as DevSecrets), generated: [] });
  }
  if (vars.NODE_ENV === 'production') throw new ConfigError(`Invalid configuration: ${missing[0]} is required in production`);
  return new HotlineConfig(vars, readOrCreateDevSecrets(resolve(vars.SECRETS_FILE), missing));
}

function readOrCreateDevSecrets(path: string, missing: readonly string[]): DevSecrets {
  let stored: Partial<DevSecrets> = {};
  if (existsSync(path)) {
    try {
      stored = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new ConfigError(`Invalid configuration: SECRETS_FILE ${path} is not valid JSON`);
    }
  }
  const fresh = {
    FIELD_ENCRYPTION_KEYS: stored.FIELD_ENCRYPTION_KEYS ?? `dev1:${randomBytes(32).toString('base64')}`,
    TOKEN_SIGNING_KEY: stored.TOKEN_SIGNING_KEY ?? randomBytes(32).toString('base64'),
    RATE_LIMIT_KEY: stored.RATE_LIMIT_KEY ?? randomBytes(32).toString('base64'),
  };
  if (SECRET_NAMES.some((name) => stored[name] === undefined)) {
    // Another process may race us on first start; `wx` makes exactly one of them write the file.
    try {
      writeFileSync(path, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600, flag: existsSync(path) ? 'w' : 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreateDevSecrets(path, missing);
      throw error;
    }
  }
  return { ...fresh, generated: missing.map((name) => `${name} (development value from ${path})`) };
}

function parseKeyList(text: string): EncryptionKey[] {
  return text.split(',').map((entry) => {
    const [id, b64] = entry.split(':');
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw new ConfigError(`Invalid configuration: FIELD_ENCRYPTION_KEYS key ${id} is not 32 bytes`);
    return { id, key };
  });
}

function parseTrustProxy(text: string): boolean | number | string[] {
  if (text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text.split(',');
}
