import type { DeadLetter, DeadLetters } from '@hotline/queue';
import { DeadLetterDesk, deadLetterEntry, deadLetterIdOf, errorWithoutAddresses, jobIdWithoutAddresses } from './dead-letter-desk';

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

  it('keeps only the leading plain words of an error text, and says when it cut', () => {
    expect(errorWithoutAddresses('hosting lookup for bad.example: timeout')).toBe('hosting lookup for …');
    expect(errorWithoutAddresses('HostingLookupError: hosting lookup for bad.example.co.uk: timeout (queryA ETIMEOUT bad.example.co.uk)')).toBe(
      'HostingLookupError: hosting lookup for …',
    );
    expect(errorWithoutAddresses('DeliveryRefused: partner hotline-de answered 503: see https://hotline.example/x?y=1 or xyz.onion.')).toBe('DeliveryRefused: partner …');
    expect(errorWithoutAddresses('Error: connect ECONNREFUSED 127.0.0.1:6379')).toBe('Error: connect ECONNREFUSED …');
    expect(errorWithoutAddresses('UnrecoverableError: case 0190-ab does not exist')).toBe('UnrecoverableError: case …');
    // Plain words only: the whole text when it is all plain words, at most eight of them.
    expect(errorWithoutAddresses('  Error:\n  lookup   timed out ')).toBe('Error: lookup timed out');
    expect(errorWithoutAddresses('one two three four five six seven eight nine')).toBe('one two three four five six seven eight …');
    expect(errorWithoutAddresses('one two three four five six seven eight')).toBe('one two three four five six seven eight');
    expect(errorWithoutAddresses('')).toBe('');
  });

  it.each([
    // What the address search of before let through.
    ['fetch failed for www.bad.example/teen-abuse/video123.mp4', 'fetch failed for …'],
    ['lookup failed for bücher.example', 'lookup failed for …'],
    ['lookup failed for xn--bcher-kva.example/abuse', 'lookup failed for …'],
    ['lookup failed for 例え.テスト', 'lookup failed for …'],
    ['lookup failed for abc.i2p', 'lookup failed for …'],
    ['lookup failed for example[.]com/path', 'lookup failed for …'],
    ['lookup failed for hxxp://bad[.]example/teen', 'lookup failed for …'],
    ['lookup failed for "bad.example"', 'lookup failed for …'],
    ['lookup failed for bad.example:', 'lookup failed for …'],
    ['teen-abuse video123 not found', '…'],
    ['Error: ENOTFOUND bad.example', 'Error: ENOTFOUND …'],
    ['Error:: bad', '…'],
  ])('shows nothing of the subject of %j', (error, shown) => {
    expect(errorWithoutAddresses(error)).toBe(shown);
  });

  it('shows our job ids, and nothing of one that could name a host', () => {
    expect(jobIdWithoutAddresses('hosting-0190a1b2-0000-7000-8000-000000000000-0')).toBe('hosting-0190a1b2-0000-7000-8000-000000000000-0');
    expect(jobIdWithoutAddresses('reported-urls-0123456789abcdef0123456789abcdef')).toBe('reported-urls-0123456789abcdef0123456789abcdef');
    expect(jobIdWithoutAddresses('42')).toBe('42');
    for (const bad of ['bad.example', 'x/y', 'a b', 'bücher', 'repeat:abc:1', '', 'x'.repeat(201)]) expect(jobIdWithoutAddresses(bad)).toBe('…');
  });
});
