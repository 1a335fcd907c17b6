import { closeCheckIntervalMs } from './case-closer.service';

describe('closeCheckIntervalMs', () => {
  it('looks a thirtieth of the quiet period apart, within a second and an hour', () => {
    expect(closeCheckIntervalMs(30 * 86_400_000)).toBe(3_600_000);
    expect(closeCheckIntervalMs(30 * 60_000)).toBe(60_000);
    expect(closeCheckIntervalMs(2_000)).toBe(1_000);
  });
});
