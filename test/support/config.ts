import { HotlineConfig, loadConfig } from '@hotline/config';
import { randomBytes } from 'node:crypto';

// Keys for this test process only; nothing is written to a secrets file.
const KEYS = {
  FIELD_ENCRYPTION_KEYS: `test1:${randomBytes(32).toString('base64')}`,
  TOKEN_SIGNING_KEY: randomBytes(32).toString('base64'),
  RATE_LIMIT_KEY: randomBytes(32).toString('base64'),
};

// Hosting lookups in tests never leave the machine: nothing listens on the discard port, so a
// lookup fails at once unless a test starts its own DNS server and points DNS_SERVERS at it.
const OFFLINE = { DNS_SERVERS: '127.0.0.1:9', DNS_TIMEOUT_MS: '200' };

/** The run's database and Redis prefix (from global-setup), test keys, and any overrides. */
export function testConfig(overrides: Record<string, string> = {}): HotlineConfig {
  return loadConfig({ ...process.env, ...KEYS, ...OFFLINE, INTAKE_RATE_LIMIT: 'off', LOG_LEVEL: 'silent', ...overrides });
}

export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...KEYS, ...OFFLINE, INTAKE_RATE_LIMIT: 'off', ...overrides };
}
