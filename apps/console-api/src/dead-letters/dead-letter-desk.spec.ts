import type { DeadLetter, DeadLetters } from '@hotline/queue';
import { DeadLetterDesk, deadLetterEntry, deadLetterIdOf, errorWithoutAddresses } from './dead-letter-desk';

const LETTER: DeadLetter = {
  id: '12',
  queue: 'hosting',
  jobName: 'resolve-hosting',
  jobId: 'resolve-hosting-abc-0',
  payload: { caseId: 'abc' },
  error: 'Error: lookup failed',
  attempts: 10,
  failedAt: '2026-01-01T00:00:00.000Z',
  redrivenAt: null,
};

describe('dead letter desk', () => {
  it('takes only dead letter ids: positive bigints', () => {
    expect(deadLetterIdOf('12')).toBe('12');
    expect(deadLetterIdOf('9223372036854775807')).toBe('9223372036854775807');
    for (const bad of ['0', '012', '-1', '1.5', '9223372036854775808', '0f', '', 'a0b1c2d3-0000-4000-8000-000000000000', 12, null, ['1']])
      expect(deadLetterIdOf(bad)).toBeNull();
  });

  it('lists dead letters without their payloads', async () => {
    const list = jest.fn().mockResolvedValue([LETTER, { ...LETTER, id: '13' }]);
    const desk = new DeadLetterDesk({ list } as unknown as DeadLetters);
    const { letters, truncated } = await desk.list({ limit: 2 });
    expect(list).toHaveBeenCalledWith({ all: false, limit: 2 });
    expect(truncated).toBe(true);
    expect(letters[0]).toEqual(deadLetterEntry(LETTER));
    expect(letters[0]).not.toHaveProperty('payload');
    expect(JSON.stringify(letters)).not.toContain('caseId');
  });

  it('does not look up what is not a dead letter id', async () => {
    const redrive = jest.fn().mockResolvedValue({ redriven: ['12'], notOpen: [] });
    const desk = new DeadLetterDesk({ redrive } as unknown as DeadLetters);
    expect(await desk.redrive({ id: 'no-such-thing' })).toEqual({ redriven: [], notOpen: ['no-such-thing'] });
    expect(redrive).not.toHaveBeenCalled();
    expect(await desk.redrive({ id: '12' })).toEqual({ redriven: ['12'], notOpen: [] });
    expect(await desk.redrive({ all: true })).toEqual({ redriven: ['12'], notOpen: [] });
    expect(redrive.mock.calls).toEqual([[{ id: '12' }], [{ all: true }]]);
  });

  it('takes host names and web addresses out of an error text, and leaves the rest', () => {
    expect(errorWithoutAddresses('HostingLookupError: hosting lookup for bad.example.co.uk: timeout (queryA ETIMEOUT bad.example.co.uk)')).toBe(
      'HostingLookupError: hosting lookup for [host]: timeout (queryA ETIMEOUT [host])',
    );
    expect(errorWithoutAddresses('DeliveryRefused: partner hotline-de answered 503: see https://hotline.example/x?y=1 or xyz.onion.')).toBe(
      'DeliveryRefused: partner hotline-de answered 503: see [url] or [host].',
    );
    expect(errorWithoutAddresses('Error: connect ECONNREFUSED 127.0.0.1:6379')).toBe('Error: connect ECONNREFUSED 127.0.0.1:6379');
    expect(errorWithoutAddresses('UnrecoverableError: case 0190-ab does not exist')).toBe('UnrecoverableError: case 0190-ab does not exist');
  });
});
