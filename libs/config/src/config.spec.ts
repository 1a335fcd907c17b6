import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config';
import { parseDurationMs, parseRateLimit } from './duration';
import { loadConfig } from './hotline-config';

const secretsFile = () => join(mkdtempSync(join(tmpdir(), 'hotline-config-')), 'secrets.json');

describe('loadConfig', () => {
  it('has defaults that work on a developer machine, and generates development secrets once', () => {
    const file = secretsFile();
    const config = loadConfig({ SECRETS_FILE: file });
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/hotline');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.ports).toEqual({ intake: 3000, console: 3001, worker: 3002 });
    expect(config.intakeRateLimit).toEqual({ max: 20, windowMs: 600_000 });
    expect(config.trustProxy).toBe(false);
    expect(config.generatedSecrets).toHaveLength(3);
    expect(JSON.parse(readFileSync(file, 'utf8')).RATE_LIMIT_KEY).toBe(config.rateLimitKey.toString('base64'));
    const again = loadConfig({ SECRETS_FILE: file });
    expect(again.fieldEncryptionKeys[0].key.equals(config.fieldEncryptionKeys[0].key)).toBe(true);
  });

  it.each([
    [{ INTAKE_PORT: 'abc' }, /^Invalid configuration: INTAKE_PORT /],
    [{ INTAKE_PORT: '70000' }, /INTAKE_PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres:\/\/ URL/],
    [{ INTAKE_RATE_LIMIT: 'lots' }, /INTAKE_RATE_LIMIT/],
    [{ HOTLINE_COUNTRY: 'Uganda' }, /HOTLINE_COUNTRY/],
    [{ REDIS_PREFIX: 'hotline' }, /REDIS_PREFIX/],
    [{ FIELD_ENCRYPTION_KEYS: 'k1:short' }, /FIELD_ENCRYPTION_KEYS/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
  ])('stops on %p with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig({ SECRETS_FILE: secretsFile(), ...env });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('names the agency of each police channel, and no other', () => {
    const config = loadConfig({ NATIONAL_POLICE_AGENCY: 'NCA', INTERPOL_AGENCY: 'INTERPOL NCB' });
    expect([config.policeAgencyOf('national_police'), config.policeAgencyOf('interpol')]).toEqual(['NCA', 'INTERPOL NCB']);
    expect(() => config.policeAgencyOf('hosting_provider')).toThrow(/no police agency for channel hosting_provider/);
  });

  it("refuses the removal check's test-only allow list in production", () => {
    const production = {
      NODE_ENV: 'production',
      HOTLINE_COUNTRY: 'GB',
      FIELD_ENCRYPTION_KEYS: `k1:${'A'.repeat(43)}=`,
      TOKEN_SIGNING_KEY: 'A'.repeat(44),
      RATE_LIMIT_KEY: 'A'.repeat(44),
    };
    expect(() => loadConfig({ ...production, REMOVAL_CHECK_ALLOW: 'intranet.example' })).toThrow(/REMOVAL_CHECK_ALLOW is for tests only/);
    expect(loadConfig(production).removalCheck.allowHosts).toEqual([]);
    expect(loadConfig({ REMOVAL_CHECK_ALLOW: 'Shop.Test,cdn.test' }).removalCheck.allowHosts).toEqual(['shop.test', 'cdn.test']);
  });

  it('requires secrets and the country in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', HOTLINE_COUNTRY: 'GB' })).toThrow(/FIELD_ENCRYPTION_KEYS is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/HOTLINE_COUNTRY/);
  });

  it('reads the analyst workspace settings, durations in their units', () => {
    const config = loadConfig({ SECRETS_FILE: secretsFile(), LEASE_DURATION: '90s', EXPOSURE_DAILY_LIMIT: '4h', REVIEW_BLIND: 'false', LEGAL_CATEGORIES: 'A1,A2,B1,B2' });
    expect(config).toMatchObject({
      leases: { durationMs: 90_000, sweepIntervalMs: 5_000, maxPerAnalyst: 5 },
      exposureDailyLimitMs: 4 * 3_600_000,
      reviewBlind: false,
      legalCategories: ['A1', 'A2', 'B1', 'B2'],
      staffSession: { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 },
      login: { maxFailures: 5, lockoutMs: 15 * 60_000 },
    });
    expect(() => loadConfig({ SECRETS_FILE: secretsFile(), LEASE_DURATION: 'ten minutes' })).toThrow(
      'Invalid configuration: LEASE_DURATION must be a duration such as 30s, 10m or 5h',
    );
  });

  it('reads the pipeline settings', () => {
    const config = loadConfig({ SECRETS_FILE: secretsFile(), DNS_SERVERS: '127.0.0.1:5353,9.9.9.9', GEO_IP_TABLE: '/data/ranges.csv', JOB_LOCK_MS: '5000' });
    expect(config).toMatchObject({ dnsServers: ['127.0.0.1:5353', '9.9.9.9'], geoIpTable: '/data/ranges.csv', jobLockMs: 5000, bullBoardEnabled: false });
    expect(() => loadConfig({ SECRETS_FILE: secretsFile(), DNS_SERVERS: 'dns.example.com' })).toThrow(/DNS_SERVERS/);
  });

  it('reads keys for rotation and proxy settings', () => {
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64');
    const config = loadConfig({ SECRETS_FILE: secretsFile(), FIELD_ENCRYPTION_KEYS: `new:${a},old:${b}`, TRUST_PROXY: '10.0.0.1,10.0.0.2' });
    expect(config.fieldEncryptionKeys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(config.trustProxy).toEqual(['10.0.0.1', '10.0.0.2']);
  });
});

describe('durations and rate limits', () => {
  it.each([
    ['20/10m', { max: 20, windowMs: 600_000 }],
    ['5/30s', { max: 5, windowMs: 30_000 }],
    ['100/1h', { max: 100, windowMs: 3_600_000 }],
    ['off', 'off'],
    ['20', null],
    ['0/1m', null],
    ['20/10y', null],
  ])('%s', (text, expected) => {
    expect(parseRateLimit(text)).toEqual(expected);
  });

  it('parses plain durations', () => {
    expect(parseDurationMs('1d')).toBe(86_400_000);
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('soon')).toBeNull();
  });
});
