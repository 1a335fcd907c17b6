import { intakeChannel, intakeOutcome } from './intake-outcomes';

describe('intake outcomes', () => {
  it('names the channel of each submission route, and no other', () => {
    expect(intakeChannel('POST', '/api/v1/reports')).toBe('api');
    expect(intakeChannel('POST', '/')).toBe('form');
    expect(intakeChannel('POST', '/api/v1/bulk-reports')).toBe('bulk');
    expect(intakeChannel('GET', '/')).toBeNull();
    expect(intakeChannel('GET', '/api/v1/reports/:reference/status')).toBeNull();
    expect(intakeChannel('POST', undefined)).toBeNull();
  });

  it('reads why a submission was refused from its status', () => {
    expect([201, 200, 400, 404, 413, 415, 429, 503, 500].map(intakeOutcome)).toEqual([
      'accepted',
      'replayed',
      'invalid',
      'invalid',
      'too_large',
      'unsupported_media_type',
      'rate_limited',
      'unavailable',
      'failed',
    ]);
  });
});
