import type { ApiKeyRow } from '@hotline/persistence';
import { formatApiKeys } from './api-key-list';

describe('formatApiKeys', () => {
  const row = (over: Partial<ApiKeyRow>): ApiKeyRow => ({
    id: '0190a000-0000-7000-8000-000000000001',
    name: 'Example ISP filter',
    prefix: 'abcdefghijkl',
    scopes: ['url_list', 'bulk_reports'],
    daily_quota: 500,
    created_by: null,
    created_at: new Date('2026-03-01T10:00:00Z'),
    revoked_by: null,
    revoked_at: null,
    last_used_at: null,
    ...over,
  });

  it('prints one line per key, the name last', () => {
    expect(
      formatApiKeys([
        row({}),
        row({
          id: '0190a000-0000-7000-8000-000000000002',
          name: 'Old',
          daily_quota: null,
          revoked_at: new Date('2026-03-03T00:00:00Z'),
          last_used_at: new Date('2026-03-02T00:00:00Z'),
        }),
      ]),
    ).toBe(
      '0190a000-0000-7000-8000-000000000001 abcdefghijkl live scopes url_list,bulk_reports quota 500 created 2026-03-01T10:00:00.000Z last-used never Example ISP filter\n' +
        '0190a000-0000-7000-8000-000000000002 abcdefghijkl revoked 2026-03-03T00:00:00.000Z scopes url_list,bulk_reports quota default created 2026-03-01T10:00:00.000Z last-used 2026-03-02T00:00:00.000Z Old\n',
    );
  });

  it('says so when there is none', () => {
    expect(formatApiKeys([])).toBe('no API keys\n');
  });
});
