import { quotaDay, secondsUntilQuotaResets } from './quota-day';

describe('the daily quota window', () => {
  it('is the UTC calendar day, whatever the local offset was', () => {
    expect(quotaDay(new Date('2031-03-04T23:59:59.999Z'))).toBe('2031-03-04');
    expect(quotaDay(new Date('2031-03-05T00:00:00.000Z'))).toBe('2031-03-05');
    expect(quotaDay(new Date('2031-03-05T01:30:00+02:00'))).toBe('2031-03-04');
  });

  it('resets at the next UTC midnight: whole seconds, at least one', () => {
    expect(secondsUntilQuotaResets(new Date('2031-03-04T00:00:00.000Z'))).toBe(86_400);
    expect(secondsUntilQuotaResets(new Date('2031-03-04T23:00:00.000Z'))).toBe(3_600);
    expect(secondsUntilQuotaResets(new Date('2031-03-04T23:59:59.001Z'))).toBe(1);
    expect(secondsUntilQuotaResets(new Date('2031-03-04T23:59:59.999Z'))).toBe(1);
    expect(secondsUntilQuotaResets(new Date('2031-12-31T12:00:00.500Z'))).toBe(43_200);
  });
});
