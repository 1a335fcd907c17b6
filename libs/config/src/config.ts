import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf, validateSync } from 'class-validator';
import { parseRateLimit, RateLimit } from './duration';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value);

const DURATION = /^\d{1,9}(ms|s|m|h|d)$/;
const DURATION_MESSAGE = 'must be a duration such as 30s, 10m or 5h';
// Retention and purge intervals: zero would erase at once, or spin.
const POSITIVE_DURATION = /^[1-9]\d{0,8}(ms|s|m|h|d)$/;
const BASE64_32_BYTES = /^[A-Za-z0-9+/_-]{43,}={0,2}$/;
const KEY_LIST = /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/_-]{43,}={0,2}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/_-]{43,}={0,2})*$/;

/**
 * Every environment variable the platform reads, in one place. Validated once at start-up:
 * a bad value stops the process with one line naming the variable (see loadConfig).
 * Secrets are marked; in development they are generated into a local ignored file.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  /** PostgreSQL connection string. */
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/hotline';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Key prefix of every BullMQ and rate-limit key; braces make it a Redis Cluster hash tag. */
  @Matches(/^\{[A-Za-z0-9_-]{1,64}\}$/, { message: 'must look like {hotline}' })
  REDIS_PREFIX = '{hotline}';

  /** ISO 3166-1 alpha-2 code of the country this hotline serves (domestic hosting). */
  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.HOTLINE_COUNTRY !== undefined)
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code such as GB' })
  HOTLINE_COUNTRY: string;

  /** Address the HTTP servers bind to; 0.0.0.0 in containers. */
  @IsString()
  BIND_ADDRESS = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  INTAKE_PORT = 3000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  CONSOLE_PORT = 3001;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  WORKER_PORT = 3002;

  /** Reports accepted per client per window, `N/window` (`20/10m`), or `off`. */
  @Matches(/^(\d{1,9}\/\d{1,9}(ms|s|m|h|d)|off)$/, { message: 'must look like 20/10m or off' })
  INTAKE_RATE_LIMIT = '20/10m';

  /**
   * Fastify trustProxy: false (default), true, a hop count or a comma list of proxy addresses.
   * Only turn it on behind a reverse proxy you run, or clients can forge their address.
   */
  @Matches(/^(false|true|\d{1,2}|[0-9a-fA-F.:/,]+)$/, { message: 'must be false, true, a hop count or addresses' })
  TRUST_PROXY = 'false';

  /** Comma list of extra query parameters to ignore when deduplicating (`utm_*` style prefixes allowed). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_*.-]+(,[A-Za-z0-9_*.-]+)*$/, { message: 'must be a comma list of parameter names' })
  TRACKING_PARAMS?: string;

  /** SECRET. `keyId:base64key[,keyId:base64key...]`, 32-byte AES-256-GCM keys; the first encrypts. */
  @ValidateIf((env: EnvironmentVariables) => env.FIELD_ENCRYPTION_KEYS !== undefined)
  @Matches(KEY_LIST, { message: 'must be keyId:base64key[,keyId:base64key...] with 32-byte keys' })
  FIELD_ENCRYPTION_KEYS: string;

  /** SECRET. Base64, at least 32 bytes: signs staff access tokens. */
  @ValidateIf((env: EnvironmentVariables) => env.TOKEN_SIGNING_KEY !== undefined)
  @Matches(BASE64_32_BYTES, { message: 'must be base64 of at least 32 bytes' })
  TOKEN_SIGNING_KEY: string;

  /** SECRET. Base64, at least 32 bytes: master key from which the daily rate-limit HMAC keys derive. */
  @ValidateIf((env: EnvironmentVariables) => env.RATE_LIMIT_KEY !== undefined)
  @Matches(BASE64_32_BYTES, { message: 'must be base64 of at least 32 bytes' })
  RATE_LIMIT_KEY: string;

  /** Where development secrets are generated when not given (never used in production). */
  @IsString()
  SECRETS_FILE = '.secrets.local.json';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Most reports written by one group-commit statement. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  INTAKE_BATCH_MAX = 256;

  /** Outbox rows the relay publishes per transaction. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  OUTBOX_BATCH_SIZE = 500;

  /** How often an idle relay looks for new outbox rows, in ms. */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(60000)
  OUTBOX_POLL_MS = 100;

  /** Days an encrypted reporter contact is kept before it is deleted. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  CONTACT_RETENTION_DAYS = 180;

  /** How long a report's encrypted description is kept from its receipt (the retention purge takes it then, unless a case of the report is on legal hold). */
  @Matches(POSITIVE_DURATION, { message: DURATION_MESSAGE })
  DESCRIPTION_RETENTION = '90d';

  /** How long the raw URLs (as typed) of a case settled not illegal are kept from its settling; the canonical URL and dedup key stay. */
  @Matches(POSITIVE_DURATION, { message: DURATION_MESSAGE })
  RAW_URL_RETENTION = '30d';

  /** How long an ended staff session (lapsed, signed out or revoked) is kept before it is deleted. */
  @Matches(POSITIVE_DURATION, { message: DURATION_MESSAGE })
  STAFF_SESSION_RETENTION = '30d';

  /** How often the worker runs the retention purge (every class; one run at a time across workers). */
  @Matches(POSITIVE_DURATION, { message: DURATION_MESSAGE })
  RETENTION_PURGE_INTERVAL = '1h';

  @Transform(toBool)
  @IsBoolean()
  OPENAPI_UI = true;

  /**
   * Reported-URL jobs one worker process takes at once; a relayed batch (up to OUTBOX_BATCH_SIZE
   * URLs) is one job. Their URLs are placed into cases in groups of whatever is waiting (two
   * transactions at a time), so this is not the number of database connections.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  PIPELINE_CONCURRENCY = 16;

  /** Hosting jobs, and DNS lookups in flight, at once in one worker process (they mostly wait on DNS). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  HOSTING_CONCURRENCY = 32;

  /**
   * How long a worker holds a job before another may take it back (BullMQ lock and stalled-job
   * check): a killed worker's jobs return to the queue after about this long.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600000)
  JOB_LOCK_MS = 30000;

  /** Delivery attempts of an outgoing exchange message before it becomes a dead letter. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  EXCHANGE_ATTEMPTS = 8;

  /** First retry delay of an exchange delivery; it doubles with each attempt. */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  EXCHANGE_BACKOFF = '2s';

  /** Timeout of one exchange delivery request to a partner hotline. */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  EXCHANGE_TIMEOUT = '10s';

  /** DNS servers for hosting traces, comma-separated `ip` or `ip:port`; empty: the system's. */
  @IsOptional()
  @Matches(/^[0-9a-fA-F.:[\]]+(,[0-9a-fA-F.:[\]]+)*$/, { message: 'must be a comma-separated list of IP addresses (with optional :port)' })
  DNS_SERVERS?: string;

  /** Per-query DNS timeout in ms; a lookup that times out is retried with backoff. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60000)
  DNS_TIMEOUT_MS = 3000;

  /** IP-range table (CSV: start,end,country,asn,organisation) mapping addresses to country and ASN. */
  @IsOptional()
  @IsString()
  GEO_IP_TABLE?: string;

  /** Mounts the Bull Board queue dashboard at /admin/queues in console-api, for admins only. */
  @Transform(toBool)
  @IsBoolean()
  BULL_BOARD_ENABLED = false;

  /** A staff access token lapses after this long unused (it is extended while in use). */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  STAFF_SESSION_IDLE = '30m';

  /**
   * The console's session cookie carries `Secure`: `auto` always in production and otherwise when
   * the request came over HTTPS (as TRUST_PROXY lets the proxy say), `true` always, `false` never.
   */
  @IsIn(['auto', 'true', 'false'])
  CONSOLE_COOKIE_SECURE: 'auto' | 'true' | 'false' = 'auto';

  /** A staff access token lapses this long after login, however much it is used. */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  STAFF_SESSION_MAX = '12h';

  /** Failed logins in a row after which an account is locked (it then answers like a wrong password). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES = 5;

  @Matches(DURATION, { message: DURATION_MESSAGE })
  LOGIN_LOCKOUT = '15m';

  /** How long a claimed case stays with its analyst without a heartbeat. */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  LEASE_DURATION = '10m';

  /** How often the worker returns cases whose lease lapsed to their queue. */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  LEASE_SWEEP_INTERVAL = '5s';

  /** A removed case closes after this long with no reappearance (a new report of it reopens it). */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  CASE_CLOSE_AFTER = '30d';

  /** Cases one analyst may hold at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  MAX_LEASES = 5;

  /** Time holding cases per analyst per day (UTC) after which claims are refused. */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  EXPOSURE_DAILY_LIMIT = '5h';

  /** Whether the second reviewer decides without seeing the first verdict. */
  @Transform(toBool)
  @IsBoolean()
  REVIEW_BLIND = true;

  /** The national legal categories of illegal material (comma-separated), e.g. UK A,B,C or NCMEC A1,A2,B1,B2. */
  @Matches(/^[A-Za-z0-9_-]{1,16}(,[A-Za-z0-9_-]{1,16}){0,31}$/, { message: 'must be a comma-separated list of category codes' })
  LEGAL_CATEGORIES = 'A,B,C';

  // ---- escalation and takedown ------------------------------------------------------------

  /** The SMTP server notices, reminders and reporter feedback go through (`smtp://`, `smtps://`); unset: nothing is mailed and mail waits, failing visibly. */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The sender of every mail, e.g. `Hotline <abuse-desk@hotline.example>`. */
  @IsString()
  MAIL_FROM = 'Hotline <noreply@hotline.invalid>';

  /** Attempts to deliver one mail, the first backoff between them (doubling), and the SMTP timeout. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  MAIL_ATTEMPTS = 8;

  @Matches(DURATION, { message: DURATION_MESSAGE })
  MAIL_BACKOFF = '30s';

  @Matches(DURATION, { message: DURATION_MESSAGE })
  MAIL_TIMEOUT = '30s';

  /** A reminder goes to the host this long after the notice (and after each reminder) until the content is removed. */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  NOTICE_REMINDER_INTERVAL = '24h';

  /**
   * How long a new notice waits before it goes to the host: a window in which police, who see the
   * referral at the same moment, can hold it while they preserve evidence. 0: at once.
   */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  NOTICE_DELAY = '0s';

  /** After this many unanswered reminders the case is escalated to police. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  NOTICE_REMINDERS_BEFORE_POLICE = 3;

  /** The agency (staff_user.agency of its liaisons) that receives referrals of content hosted at home. */
  @Matches(/^\S.{0,99}$/, { message: 'must be an agency name' })
  NATIONAL_POLICE_AGENCY = 'National Police';

  /** The agency that receives referrals through the INTERPOL channel (hosted abroad, unknown, onion). */
  @Matches(/^\S.{0,99}$/, { message: 'must be an agency name' })
  INTERPOL_AGENCY = 'INTERPOL';

  /** Whether the worker checks if confirmed content is still online (status line and headers only). */
  @Transform(toBool)
  @IsBoolean()
  REMOVAL_CHECK_ENABLED = false;

  /** How often each confirmed, not yet removed case (and each recently removed one) is checked. */
  @Matches(DURATION, { message: DURATION_MESSAGE })
  REMOVAL_CHECK_INTERVAL = '6h';

  /** Tests only: comma list of host names the removal check may reach although they resolve to loopback or private addresses. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.-]+(,[A-Za-z0-9.-]+)*$/, { message: 'must be a comma list of host names' })
  REMOVAL_CHECK_ALLOW?: string;

  /** URLs one trusted source (API key) may submit per UTC day, unless its key says otherwise. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  BULK_DAILY_QUOTA = 100_000;

  // ---- regulators' statistics -------------------------------------------------------------

  /** Cells of the statistics with fewer cases than this are suppressed (a small cell can point at one case). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  STATS_MIN_CELL = 5;

  /** The working-day calendar (weekends, public holidays) an admin edits; unset: the public holidays of HOTLINE_COUNTRY. */
  @IsOptional()
  @IsString()
  WORKING_DAYS_FILE?: string;

  /** Time to a first verdict by priority band, `minPriority:duration` highest first, e.g. `70:2h,40:24h,0:72h`. */
  @Matches(/^\d{1,3}:\d+(ms|s|m|h|d)(,\d{1,3}:\d+(ms|s|m|h|d))*$/, { message: 'must be a comma list of minPriority:duration, e.g. 70:2h,40:24h,0:72h' })
  STATS_ASSESSMENT_TARGETS = '70:2h,40:24h,0:72h';
}

export class ConfigError extends Error {}

/** The variables as read, before development defaults for secrets are filled in. */
export function validateEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  const given: Record<string, string> = {};
  const optional = [
    'HOTLINE_COUNTRY',
    'FIELD_ENCRYPTION_KEYS',
    'TOKEN_SIGNING_KEY',
    'RATE_LIMIT_KEY',
    'TRACKING_PARAMS',
    'DNS_SERVERS',
    'GEO_IP_TABLE',
    'SMTP_URL',
    'REMOVAL_CHECK_ALLOW',
    'WORKING_DAYS_FILE',
  ];
  for (const key of [...known, ...optional]) {
    const value = env[key];
    if (value !== undefined && value !== '') given[key] = value;
  }
  const vars = plainToInstance(EnvironmentVariables, given, { exposeDefaultValues: true });
  const errors = validateSync(vars, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    const why = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    const message = why.startsWith(first.property) ? why : `${first.property} ${why}`;
    throw new ConfigError(`Invalid configuration: ${message}`);
  }
  if (parseRateLimit(vars.INTAKE_RATE_LIMIT) === null) {
    throw new ConfigError('Invalid configuration: INTAKE_RATE_LIMIT must look like 20/10m or off');
  }
  // Hosts listed there skip the private-address refusal of the removal check: in production any
  // reported URL on such a host could make the worker reach internal addresses.
  if (vars.NODE_ENV === 'production' && vars.REMOVAL_CHECK_ALLOW) {
    throw new ConfigError('Invalid configuration: REMOVAL_CHECK_ALLOW is for tests only and refused in production');
  }
  return vars;
}

export type { RateLimit };
