import { LEGAL_HOLD_REASON_LENGTH, legalHoldReason } from './legal-hold';

describe('legalHoldReason', () => {
  it('keeps a reason of the allowed length, its whitespace made single spaces', () => {
    expect(legalHoldReason('  Court order 2031/17:\n\tpreserve  ')).toBe('Court order 2031/17: preserve');
    expect(legalHoldReason('x'.repeat(LEGAL_HOLD_REASON_LENGTH.min))).toBe('x'.repeat(LEGAL_HOLD_REASON_LENGTH.min));
    expect(legalHoldReason('x'.repeat(LEGAL_HOLD_REASON_LENGTH.max))).toHaveLength(LEGAL_HOLD_REASON_LENGTH.max);
  });

  it('counts characters, not UTF-16 units, and takes any script', () => {
    expect(legalHoldReason('أمر المحكمة رقم ١٧')).toBe('أمر المحكمة رقم ١٧');
    expect(legalHoldReason('😀'.repeat(LEGAL_HOLD_REASON_LENGTH.max))).not.toBeNull();
    expect(legalHoldReason('😀'.repeat(LEGAL_HOLD_REASON_LENGTH.max + 1))).toBeNull();
  });

  it('refuses what is too short or too long once trimmed', () => {
    expect(legalHoldReason('   short   ')).toBeNull();
    expect(legalHoldReason('x'.repeat(LEGAL_HOLD_REASON_LENGTH.max + 1))).toBeNull();
  });

  it('refuses anything but a string, control characters and broken Unicode', () => {
    for (const value of [undefined, null, 42, ['a reason of length'], { reason: 'a reason of length' }]) expect(legalHoldReason(value)).toBeNull();
    expect(legalHoldReason('a reason with \u0000 a NUL')).toBeNull();
    expect(legalHoldReason('a reason with \u007f DEL')).toBeNull();
    expect(legalHoldReason('a lone surrogate \ud800 here')).toBeNull();
  });
});
