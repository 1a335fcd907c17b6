import { currentCorrelationId, isCorrelationId, newCorrelationId, withCorrelationId } from './correlation';

describe('correlation ids', () => {
  it('are current for the work run under them, across awaits, and only there', async () => {
    const id = newCorrelationId();
    expect(currentCorrelationId()).toBeNull();
    const seen = await withCorrelationId(id, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentCorrelationId();
    });
    expect(seen).toBe(id);
    expect(currentCorrelationId()).toBeNull();
  });

  it('leave the surrounding id behind for work run under none, or under a malformed one', () => {
    withCorrelationId('0f4e2a51-request', () => {
      expect(withCorrelationId(null, currentCorrelationId)).toBeNull();
      expect(withCorrelationId('not an id: http://example.com/', currentCorrelationId)).toBeNull();
      expect(currentCorrelationId()).toBe('0f4e2a51-request');
    });
  });

  it('accept only short tokens of letters, digits and dashes', () => {
    expect(isCorrelationId(newCorrelationId())).toBe(true);
    for (const bad of ['short', 'x'.repeat(65), '203.0.113.7-request', 'a b c d e f g h', 'http://example.com', 42, undefined]) {
      expect(isCorrelationId(bad)).toBe(false);
    }
  });
});
